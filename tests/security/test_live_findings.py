"""The two high findings against a real `oversight serve`: a slow body holds nothing the
API needs, and a partner system never reads or declassifies a RED action."""

import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.examples import ADMIN_EMAIL, ADMIN_PASSWORD, bootstrap, command_env
from tests.support.live import LiveServer, server_env, serving

API = "/api/v1"
PASSWORD = "a long enough passphrase 2026"
BODY_TIMEOUT = 3
ADMISSION_TIMEOUT = 5


@pytest.fixture(scope="module")
def live(databases, tmp_path_factory) -> Iterator[LiveServer]:
    home = tmp_path_factory.mktemp("live-findings")
    env = command_env(server_env(databases, home)) | {
        "OVERSIGHT_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT),
        "OVERSIGHT_ADMISSION_TIMEOUT_SECONDS": str(ADMISSION_TIMEOUT),
        "OVERSIGHT_DB_CONCURRENCY": "2",
    }
    bootstrap(env, home)
    with serving(env, home) as server:
        yield server


def _token(base: str, **form: str) -> dict[str, str]:
    r = httpx.post(f"{base}{API}/auth/token", data=form, timeout=30)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _person(base: str, admin: dict[str, str], agency: str, email: str, roles: list[str]) -> dict:
    body = {"email": email, "display_name": email.split("@")[0], "agency_id": agency}
    r = httpx.post(
        f"{base}{API}/users",
        json=body | {"roles": roles, "password": PASSWORD},
        headers=admin,
        timeout=30,
    )
    assert r.status_code == 201, r.text
    return _token(base, grant_type="password", username=email, password=PASSWORD)


def _drip(url: str, headers: str, stop: threading.Event, answers: list[bytes]) -> None:
    """Announce a megabyte, then send one byte every half second; keep what comes back."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(
            f"POST {API}/bulletins HTTP/1.1\r\nHost: {parts.netloc}\r\n{headers}"
            "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n".encode()
        )
        sock.settimeout(0.5)
        while not stop.is_set():
            try:
                sock.sendall(b" ")
                got = sock.recv(4096)
                if got:
                    answers.append(got)
                    return
            except TimeoutError:
                continue
            except OSError:
                return


def test_slow_bodies_hold_no_slot_and_end_in_408(live):
    base = live.base_url
    admin = _token(base, grant_type="password", username=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    agency = httpx.get(f"{base}{API}/me", headers=admin, timeout=30).json()["agency"]["id"]
    member = _person(base, admin, agency, "reader@police.example", [])
    stop, answers = threading.Event(), []
    senders = [
        threading.Thread(target=_drip, args=(base, auth, stop, answers))
        for auth in ["", "", f"Authorization: {member['Authorization']}\r\n"]
    ]
    started = time.monotonic()
    for t in senders:  # more slow senders than the worker has database slots (2)
        t.start()
    try:
        while time.monotonic() - started < BODY_TIMEOUT + 1:
            r = httpx.get(f"{base}{API}/bulletins", headers=member, timeout=ADMISSION_TIMEOUT * 2)
            assert r.status_code == 200, r.text
            time.sleep(0.3)
        for t in senders:
            t.join(timeout=ADMISSION_TIMEOUT + BODY_TIMEOUT)
    finally:
        stop.set()
    assert len(answers) == 3
    assert all(a.startswith(b"HTTP/1.1 408") for a in answers), answers
    assert time.monotonic() - started < BODY_TIMEOUT + ADMISSION_TIMEOUT


def test_a_partner_system_never_reads_or_declassifies_a_red_action(live):
    base = live.base_url
    admin = _token(base, grant_type="password", username=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    r = httpx.post(
        f"{base}{API}/agencies",
        json={"name": "Northshire ROCU", "sector": "rocu"},
        headers=admin,
        timeout=30,
    )
    assert r.status_code == 201, r.text
    agency = r.json()["id"]
    author = _person(base, admin, agency, "author@rocu.example", ["editor"])
    named = _person(base, admin, agency, "named@rocu.example", ["editor"])
    r = httpx.post(
        f"{base}{API}/service-accounts",
        json={
            "name": "ROCU case system",
            "agency_id": agency,
            "scopes": ["actions:read", "actions:write"],
        },
        headers=admin,
        timeout=30,
    )
    assert r.status_code == 201, r.text
    creds = r.json()
    named_id = httpx.get(f"{base}{API}/me", headers=named, timeout=30).json()["id"]
    r = httpx.post(
        f"{base}{API}/actions",
        json={
            "title": "Brief the victim of the targeted data theft",
            "owner_agency_id": agency,
            "tlp": "RED",
            "recipient_users": [named_id],
        },
        headers=author,
        timeout=30,
    )
    assert r.status_code == 201, r.text
    action = r.json()["id"]
    partner = _token(
        base,
        grant_type="client_credentials",
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
    )
    assert httpx.get(f"{base}{API}/actions/{action}", headers=partner).status_code == 404
    assert httpx.get(f"{base}{API}/actions/{action}/updates", headers=partner).status_code == 404
    r = httpx.patch(
        f"{base}{API}/actions/{action}",
        json={"tlp": "CLEAR"},
        headers=partner | {"If-Match": '"1"'},
    )
    assert r.status_code == 404
    listed = httpx.get(f"{base}{API}/actions", headers=partner, params={"limit": 200}).json()
    assert action not in {a["id"] for a in listed["items"]}
    seen = httpx.get(f"{base}{API}/actions/{action}", headers=named)
    assert seen.status_code == 200 and seen.json()["tlp"] == "RED"
