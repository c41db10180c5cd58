"""Errors are plain sentences about the options given, naming the clashing record; never the
text of the validation library underneath."""

import pytest

from oversight.auth.scopes import SERVICE_ACCOUNT_SCOPES, Scope

FRAMEWORK_WORDS = ("String should", "Value error", "should match pattern", "Input should", "[type=")


def plain(message: str) -> str:
    assert not any(word in message for word in FRAMEWORK_WORDS), message
    return message


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["agencies", "create", "--name", "Schools Trust", "--sector", "fire"],
            '--sector: "fire" is not one of police, local_authority, rocu, ',
        ),
        (
            ["agencies", "create", "--name", "Schools Trust", "--sector", "education",
             "--slug", "Schools_Trust"],
            '--slug "Schools_Trust" is not valid: use lower-case letters, digits and single '
            "hyphens, like schools-trust",
        ),
        (["agencies", "create", "--name", "S", "--sector", "education"],
         "--name must be at least 2 characters"),
        (["bootstrap", "--agency", "S", "--email", "a@example.org"],
         "--agency must be at least 2 characters"),
        (["users", "grant", "a@example.org", "wizard"],
         'ROLE: "wizard" is not one of member, editor, agency_admin, admin, auditor'),
        (["users", "create", "--email", "nope", "--agency", "eastvale"],
         "--email: value is not a valid email address"),
        (["audit", "verify", "--expected-seq", "0"], '--expected-seq must be at least 1 (got "0")'),
        (["audit", "verify", "--expected-seq", "ten"],
         '--expected-seq "ten" is not a whole number'),
    ],
)  # fmt: skip
def test_bad_values_are_usage_errors_told_in_plain_words(oversight, fresh_db, argv, expected):
    oversight("db", "upgrade")
    oversight("agencies", "create", "--name", "Eastvale", "--sector", "police")
    ran = oversight(*argv, "--json")
    assert ran.code == 2
    assert plain(ran.error).startswith(expected)
    text = oversight(*argv)
    assert text.code == 2 and text.err.startswith("error: " + expected)


def test_a_scope_no_service_account_may_hold(oversight, fresh_db):
    oversight("db", "upgrade")
    assert oversight("agencies", "create", "--name", "Eastvale", "--sector", "police").code == 0
    ran = oversight("service-accounts", "create", "--name", "Feed", "--agency", "eastvale",
                    "--scope", "bulletins:read", "--scope", "admin", "--json")  # fmt: skip
    assert ran.code == 2
    grantable = ", ".join(s.value for s in Scope if s in SERVICE_ACCOUNT_SCOPES)
    assert grantable.startswith("bulletins:read, bulletins:write, meetings:read")
    assert plain(ran.error) == f'--scope: "admin" is not one of {grantable}'


def test_a_clash_names_the_record_it_clashes_with(oversight, fresh_db):
    oversight("db", "upgrade")
    trust = ["agencies", "create", "--name", "Northshire Schools Trust", "--sector", "education"]
    assert oversight(*trust, "--slug", "schools-trust").code == 0
    again = oversight(*trust, "--json")
    assert again.code == 1
    assert again.error == (
        'An agency named "Northshire Schools Trust" already exists (slug schools-trust)'
    )
    slug = oversight("agencies", "create", "--name", "Schools", "--sector", "education",
                     "--slug", "schools-trust", "--json")  # fmt: skip
    assert slug.code == 1
    assert slug.error == (
        'The slug schools-trust is already taken by the agency "Northshire Schools Trust"'
    )

    head = ["users", "create", "--email", "Head@Schools.example", "--agency", "schools-trust"]
    user = oversight(*head, "--json").json()
    dup = oversight(*head, "--json")
    assert dup.code == 1
    assert dup.error == (
        f"A user with the email head@schools.example already exists "
        f"(id {user['id']}, agency schools-trust)"
    )


def test_the_last_admin_is_named(oversight, fresh_db):
    oversight("bootstrap", "--agency", "Secretariat", "--email", "a@example.org")
    ran = oversight("users", "disable", "a@example.org", "--json")
    assert ran.code == 1 and ran.error.startswith("a@example.org is the last active admin")
