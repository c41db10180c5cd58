"""One password rule (auth/strength.py) on the API: user creation and /me/password refuse a
common or trivially repetitive password with a 422 naming the reason, never the password."""

import pytest

from oversight.auth.strength import weakness
from tests.support.admin import USERS, new_user
from tests.support.auth import assert_problem
from tests.support.factories import DEFAULT_PASSWORD

PASSWORD_URL = "/api/v1/me/password"
WEAK = {
    "password1234": "this is a very common password",
    "aaaaaaaaaaaaaaaa": 'repeats like "aaa" are easy to guess',
    "abcabcabcabcabc": 'repeats like "abcabcabc"',
    "qwertyuiopasdf": "this is similar to a commonly used password",
    "Passw0rd!2026": "this is similar to a commonly used password",
}


@pytest.mark.parametrize("password", sorted(WEAK))
def test_the_rule_gives_a_reason(password):
    reason = weakness(password)
    assert reason is not None and reason.startswith("too easy to guess: " + WEAK[password])
    assert password not in reason


@pytest.mark.parametrize(
    "password", [DEFAULT_PASSWORD, "demo-agency-admin-2026", "eastvale lead passphrase"]
)
def test_passphrases_pass(password):
    assert weakness(password) is None


def test_a_long_password_is_judged_by_its_start():
    assert weakness("a sturdy passphrase of words " + "x" * 2000) is None
    assert weakness("x" * 2000).startswith('too easy to guess: repeats like "aaa"')


def test_short_is_refused_before_the_checker_runs():
    assert weakness("tiny-pw") == "too short: at least 12 characters are needed"


def test_me_password_refuses_a_weak_one_naming_the_reason(client, factory):
    user = factory.user()
    r = client.post(
        PASSWORD_URL,
        json={"current_password": DEFAULT_PASSWORD, "new_password": "password1234"},
        headers=factory.headers(user),
    )
    body = assert_problem(r, 422)
    assert "new_password (too easy to guess: this is a very common password" in body["detail"]
    assert body["errors"][0]["loc"] == ["body", "new_password"]
    assert "password1234" not in r.text
    ok = client.post(
        PASSWORD_URL,
        json={"current_password": DEFAULT_PASSWORD, "new_password": "a sturdy new passphrase"},
        headers=factory.headers(user),
    )
    assert ok.status_code == 204, ok.text


def test_user_creation_refuses_a_weak_one_naming_the_reason(client, factory, auth):
    admin = factory.user(roles=["admin"])
    body = new_user(admin.agency_id, password="aaaaaaaaaaaaaaaa")
    r = client.post(USERS, headers=auth(admin), json=body)
    problem = assert_problem(r, 422)
    assert 'password (too easy to guess: repeats like "aaa"' in problem["detail"]
    assert "aaaaaaaaaaaaaaaa" not in r.text
