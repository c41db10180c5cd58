"""examples/onboard_agency.sh, run by bash against a real fresh database, as an administrator
would run it; the result is checked through the command line's --json and a real login."""

import json
import stat
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oversight.main import create_app
from tests.support.databases import Databases, make_settings
from tests.support.examples import EXAMPLES, bootstrap, command_env, oversight_json
from tests.support.live import server_env

SCRIPT = EXAMPLES / "onboard_agency.sh"
PEOPLE = ["admin@fire.example.org", "crew.one@fire.example.org", "crew.two@fire.example.org"]
PASSWORDS = ["fire admin passphrase", "first member passphrase", "second member passphrase"]


def onboard(env: dict[str, str], home: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), "Northshire Fire and Rescue", "other", *PEOPLE],
        env={**env, "CREDENTIALS_DIR": str(home)},
        cwd=home,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def home(databases: Databases, tmp_path: Path) -> tuple[dict[str, str], Path]:
    env = command_env(server_env(databases, tmp_path))
    bootstrap(env, tmp_path)
    return env, tmp_path


def test_the_script_onboards_an_agency_then_suspends_and_reinstates_it(home):
    env, tmp = home
    done = onboard(env, tmp, "\n".join(PASSWORDS) + "\n")
    assert done.returncode == 0, done.stderr
    assert "suspended agency northshire-fire-and-rescue" in done.stdout
    assert "reinstated agency northshire-fire-and-rescue" in done.stdout
    assert not any(p in done.stdout + done.stderr for p in PASSWORDS)

    agencies = {a["slug"]: a for a in oversight_json(env, tmp, "agencies", "list")}
    agency = agencies["northshire-fire-and-rescue"]
    assert agency["status"] == "active" and agency["version"] == 3  # created, suspended, back

    users = oversight_json(env, tmp, "users", "list", "--agency", agency["slug"])
    roles = {u["email"]: u["roles"] for u in users}
    assert roles == {
        PEOPLE[0]: ["agency_admin", "member"],
        PEOPLE[1]: ["member"],
        PEOPLE[2]: ["member"],
    }
    assert all(u["is_active"] and u["agency_id"] == agency["id"] for u in users)

    [account] = oversight_json(env, tmp, "service-accounts", "list", "--agency", agency["slug"])
    assert account["is_active"] and account["scopes"] == ["bulletins:read", "bulletins:write"]
    credentials = tmp / "northshire-fire-and-rescue-partner-credentials.json"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    secret = json.loads(credentials.read_text())
    assert secret["client_id"] == account["client_id"] and secret["client_id"] in done.stdout
    assert secret["client_secret"] not in done.stdout

    assert oversight_json(env, tmp, "audit", "verify")["ok"] is True

    # The passwords fed on stdin are the ones that work, and the reinstated agency logs in.
    settings = make_settings(env["OVERSIGHT_DATABASE_URL"], tmp)
    with TestClient(create_app(settings)) as client:
        for email, password in zip(PEOPLE, PASSWORDS, strict=True):
            r = client.post(
                "/api/v1/auth/token",
                data={"grant_type": "password", "username": email, "password": password},
            )
            assert r.status_code == 200, r.text
        r = client.post(
            "/api/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": secret["client_id"],
                "client_secret": secret["client_secret"],
            },
        )
        assert r.status_code == 200, r.text


def test_the_script_stops_at_the_first_failing_step_and_can_be_run_again(home):
    env, tmp = home
    # The second member's password is refused: the agency and the first two people are made.
    weak = onboard(env, tmp, "\n".join([*PASSWORDS[:2], "password1234"]) + "\n")
    assert weak.returncode == 2
    assert "the password is too easy to guess" in weak.stderr
    slug = "northshire-fire-and-rescue"
    made = oversight_json(env, tmp, "users", "list", "--agency", slug)
    assert {u["email"] for u in made} == set(PEOPLE[:2])

    again = onboard(env, tmp, "\n".join(PASSWORDS) + "\n")
    assert again.returncode == 0, again.stderr
    assert f"kept agency {slug}" in again.stdout
    assert f"kept agency admin {PEOPLE[0]}" in again.stdout
    assert f"created member {PEOPLE[2]}" in again.stdout
    assert (tmp / f"{slug}-partner-credentials.json").exists()

    # A third run finds everything, and keeps the partner system's credentials as they are.
    before = (tmp / f"{slug}-partner-credentials.json").read_text()
    third = onboard(env, tmp, "\n".join(PASSWORDS) + "\n")
    assert third.returncode == 0, third.stderr
    assert "kept service account" in third.stdout
    assert (tmp / f"{slug}-partner-credentials.json").read_text() == before
    short = onboard(env, tmp, "too short\n")
    assert short.returncode == 2  # fewer than three passwords: nothing was run
    count = len(oversight_json(env, tmp, "agencies", "list"))
    assert count == 2  # the secretariat and the agency onboarded once
    accounts = oversight_json(env, tmp, "service-accounts", "list", "--agency", slug)
    assert len(accounts) == 1
