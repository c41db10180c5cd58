"""examples/onboard_agency_api.py, run as a process against a live `oversight serve`."""

import json
import stat
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.examples import ADMIN_EMAIL, ADMIN_PASSWORD, EXAMPLES, AdminServer

SCRIPT = EXAMPLES / "onboard_agency_api.py"
PEOPLE = ["lead@eastvale.example.org", "one@eastvale.example.org", "two@eastvale.example.org"]
PASSWORDS = ["eastvale lead passphrase", "eastvale first passphrase", "eastvale second passphrase"]


def run_example(admin_server: AdminServer, home: Path, *extra: str, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--base-url", admin_server.base_url, "--json",
         "--credentials-dir", str(home), *extra, "Eastvale Borough Council", "local_authority",
         *PEOPLE],
        env={**admin_server.env, "OVERSIGHT_ADMIN_EMAIL": ADMIN_EMAIL,
             "OVERSIGHT_ADMIN_PASSWORD": ADMIN_PASSWORD},
        input="\n".join(PASSWORDS) + "\n" if stdin is None else stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip


def test_onboarding_through_the_api_then_again_replays_instead_of_duplicating(
    admin_server: AdminServer, tmp_path: Path
):
    done = run_example(admin_server, tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    agency = summary["agency"]
    assert agency["status"] == "active" and agency["slug"] == "eastvale-borough-council"
    assert not any(p in done.stdout for p in PASSWORDS)

    admin = admin_server.token(ADMIN_EMAIL, ADMIN_PASSWORD)
    base = f"{admin_server.base_url}/api/v1"
    users = httpx.get(f"{base}/users", params={"agency_id": agency["id"]}, headers=admin).json()
    assert {u["email"]: u["roles"] for u in users["items"]} == {
        PEOPLE[0]: ["agency_admin", "member"],
        PEOPLE[1]: ["member"],
        PEOPLE[2]: ["member"],
    }
    record = httpx.get(f"{base}/agencies/{agency['id']}", headers=admin)
    assert record.json()["status"] == "active" and record.headers["ETag"] == '"3"'

    credentials_file = Path(summary["credentials_file"])
    assert stat.S_IMODE(credentials_file.stat().st_mode) == 0o600
    credentials = json.loads(credentials_file.read_text())
    token = httpx.post(
        f"{base}/auth/token",
        data={"grant_type": "client_credentials", **{k: credentials[k] for k in
              ("client_id", "client_secret")}},
    )  # fmt: skip
    assert token.status_code == 200 and token.json()["scope"] == "bulletins:read bulletins:write"
    for email, password in zip(PEOPLE[1:], PASSWORDS[1:], strict=True):
        assert admin_server.token(email, password)  # the passwords given on stdin

    # A second run (say, after a dropped connection) replays every create: nothing twice.
    again = run_example(admin_server, tmp_path)
    assert again.returncode == 0, again.stderr
    replayed = json.loads(again.stdout)
    assert "found (created by an earlier run) agency eastvale-borough-council" in again.stderr
    assert "suspended agency eastvale-borough-council: the agency admin's token now gets 401" in (
        again.stderr
    )
    assert replayed["agency"]["id"] == agency["id"]
    assert [m["id"] for m in replayed["members"]] == [m["id"] for m in summary["members"]]
    assert replayed["service_account"]["id"] == summary["service_account"]["id"]
    agencies = httpx.get(f"{base}/agencies", params={"limit": 200}, headers=admin).json()
    assert [a["slug"] for a in agencies["items"]].count("eastvale-borough-council") == 1
    after = httpx.get(f"{base}/users", params={"agency_id": agency["id"]}, headers=admin).json()
    assert len(after["items"]) == 3
    accounts = httpx.get(
        f"{base}/service-accounts", params={"agency_id": agency["id"]}, headers=admin
    ).json()
    assert len(accounts["items"]) == 1


def test_without_a_credentials_dir_the_secret_goes_to_the_user_config_not_the_working_tree(
    admin_server: AdminServer, tmp_path: Path
):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    people = [f"{who}@northfold.example.org" for who in ("lead", "one", "two")]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--base-url", admin_server.base_url, "--json",
         "Northfold Parish Council", "local_authority", *people],
        env={**admin_server.env, "HOME": str(home), "OVERSIGHT_ADMIN_EMAIL": ADMIN_EMAIL,
             "OVERSIGHT_ADMIN_PASSWORD": ADMIN_PASSWORD},
        cwd=work,
        input="\n".join(PASSWORDS) + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    credentials_file = Path(json.loads(done.stdout)["credentials_file"])
    expected = home / ".config" / "oversight" / "northfold-parish-council-partner-credentials.json"
    assert credentials_file == expected
    assert stat.S_IMODE(credentials_file.stat().st_mode) == 0o600
    assert json.loads(credentials_file.read_text())["client_secret"]
    assert list(work.iterdir()) == []


def test_usage_and_refusals_have_their_exit_codes(admin_server: AdminServer, tmp_path: Path):
    assert run_example(admin_server, tmp_path, stdin="only one\n").returncode == 2
    wrong = subprocess.run(
        [sys.executable, str(SCRIPT), "--base-url", admin_server.base_url, "X Agency", "other",
         *PEOPLE],
        env={**admin_server.env, "OVERSIGHT_ADMIN_EMAIL": ADMIN_EMAIL,
             "OVERSIGHT_ADMIN_PASSWORD": "not the admin password"},
        input="\n".join(PASSWORDS) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert wrong.returncode == 1 and wrong.stderr.startswith("error: POST /api/v1/auth/token: 4")
    assert "not the admin password" not in wrong.stderr
