"""The administration commands, driven as a script would: --json out, exit codes."""

import json

from sqlalchemy import func, select

from oversight.accounts.models import User
from oversight.audit.models import AuditRecord
from oversight.db import make_engine
from tests.support.cli import out

ADMIN_PASSWORD = "the first admin's passphrase"


def test_bootstrap_then_users_create_from_a_script(cli):
    boot = out(
        cli(
            "bootstrap",
            "--agency",
            "Northshire Police",
            "--email",
            "First.Admin@Example.org",
            "--sector",
            "police",
            "--password-stdin",
            "--json",
            stdin=ADMIN_PASSWORD + "\n",
        )
    )
    assert boot["user"]["email"] == "first.admin@example.org"
    assert boot["user"]["roles"] == ["admin", "member"] and boot["password"] is None
    assert ADMIN_PASSWORD not in json.dumps(boot)
    slug = boot["agency"]["slug"]

    created = out(
        cli("users", "create", "--email", "ed@example.org", "--agency", slug, "--role", "editor",
            "--json")
    )  # fmt: skip
    assert created["roles"] == ["editor", "member"] and len(created["password"]) >= 12

    listed = out(cli("users", "list", "--agency", slug, "--json"))
    assert {u["email"] for u in listed} == {"first.admin@example.org", "ed@example.org"}
    assert all("password" not in u for u in listed)

    granted = out(cli("users", "grant", "ed@example.org", "agency_admin", "--json"))
    assert granted["roles"] == ["agency_admin", "editor", "member"]
    revoked = out(cli("users", "revoke", created["id"], "editor", "--json"))
    assert revoked["roles"] == ["agency_admin", "member"]
    assert out(cli("users", "disable", "ed@example.org", "--json"))["is_active"] is False
    assert out(cli("users", "enable", "ed@example.org", "--json"))["is_active"] is True
    reset = out(cli("users", "reset-password", "ed@example.org", "--json"))
    assert reset["password"] != created["password"]

    # A second bootstrap is refused while an admin exists.
    again = cli("bootstrap", "--agency", "Other Agency", "--email", "b@example.org", "--json")
    assert again.exit_code == 1 and "admin already exists" in again.output

    # What the commands changed is in the audit trail, done by the system.
    engine = make_engine(cli.url)
    with engine.connect() as conn:
        actors = set(conn.scalars(select(AuditRecord.actor_type)).all())
        users = conn.scalar(select(func.count()).select_from(User))
    engine.dispose()
    assert actors == {"system"} and users == 2


def test_agencies_and_service_accounts_commands(cli):
    out(cli("bootstrap", "--agency", "Secretariat", "--email", "a@example.org", "--json"))
    agency = out(cli("agencies", "create", "--name", "Eastvale Council", "--sector",
                     "local_authority", "--json"))  # fmt: skip
    assert agency["slug"] == "eastvale-council"
    assert out(cli("agencies", "suspend", "eastvale-council", "--json"))["status"] == "suspended"
    assert out(cli("agencies", "reinstate", agency["id"], "--json"))["status"] == "active"
    assert len(out(cli("agencies", "list", "--json"))) == 2

    sa = out(cli("service-accounts", "create", "--name", "Feed", "--agency", "eastvale-council",
                 "--scope", "bulletins:read", "--json"))  # fmt: skip
    assert sa["client_secret"].startswith("ovs_") and sa["scopes"] == ["bulletins:read"]
    rotated = out(cli("service-accounts", "rotate", sa["client_id"], "--json"))
    assert rotated["client_secret"] != sa["client_secret"]
    assert out(cli("service-accounts", "revoke", sa["id"], "--json"))["is_active"] is False
    listed = out(cli("service-accounts", "list", "--json"))
    assert [s["client_id"] for s in listed] == [sa["client_id"]]
    assert "client_secret" not in listed[0]


def test_exit_codes(cli):
    out(cli("bootstrap", "--agency", "Secretariat", "--email", "a@example.org", "--json"))
    # 1: a failure, told in one line.
    missing = cli("users", "disable", "nobody@example.org")
    assert missing.exit_code == 1
    assert missing.output.strip().count("\n") == 0 and missing.output.startswith("error:")
    dup = cli("users", "create", "--email", "a@example.org", "--agency", "secretariat", "--json")
    assert dup.exit_code == 1 and "already exists" in json.loads(dup.output)["error"]
    last = cli("users", "disable", "a@example.org")
    assert last.exit_code == 1 and "no active admin" in last.output
    # 2: bad usage or an invalid value.
    assert cli("users", "create", "--agency", "secretariat").exit_code == 2
    assert cli("users", "grant", "a@example.org", "wizard").exit_code == 2
    bad_email = cli("users", "create", "--email", "nope", "--agency", "secretariat", "--json")
    assert bad_email.exit_code == 2 and "email" in json.loads(bad_email.output)["error"]
    short = cli("users", "create", "--email", "s@example.org", "--agency", "secretariat",
                "--password-stdin", stdin="too-short\n")  # fmt: skip
    assert short.exit_code == 2 and "too-short" not in short.output
    scopes = cli("service-accounts", "create", "--name", "X1", "--agency", "secretariat",
                 "--scope", "admin")  # fmt: skip
    assert scopes.exit_code == 2


def test_demo_loads_an_empty_database_and_refuses_a_second_time(cli):
    first = cli("demo", "--json")
    data = out(first)
    assert len(data["agencies"]) == 8
    roles = {login["role"] for login in data["logins"]}
    assert roles == {"member", "editor", "agency_admin", "admin", "auditor"}
    assert all(len(login["password"]) >= 12 for login in data["logins"])
    assert data["service_account"]["client_secret"]
    second = cli("demo")
    assert second.exit_code == 1 and "not empty" in second.output


def test_demo_refuses_a_database_with_data(cli):
    out(cli("bootstrap", "--agency", "Secretariat", "--email", "a@example.org", "--json"))
    refused = cli("demo", "--json")
    assert refused.exit_code == 1 and "not empty" in json.loads(refused.output)["error"]
