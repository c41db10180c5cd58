"""Two `oversight serve` processes on two ports, one database: what one worker decides, the
other knows at once, because nothing that matters lives in a process (revocation, lockout
counters, idempotency keys). On PostgreSQL this is how the service runs at scale; on SQLite
both processes share the one file."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.databases import Databases
from tests.support.examples import ADMIN_EMAIL, ADMIN_PASSWORD, bootstrap, command_env
from tests.support.live import LiveServer, server_env, serving

TOKEN = "/api/v1/auth/token"
ME = "/api/v1/me"


@pytest.fixture(scope="module")
def two_servers(
    databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, LiveServer]]:
    home = tmp_path_factory.mktemp("two")
    env = command_env(server_env(databases, home))
    bootstrap(env, home)
    with serving(env, home) as first, serving(env, home) as second:
        assert first.base_url != second.base_url
        yield first, second


def _login(server: LiveServer, password: str = ADMIN_PASSWORD) -> httpx.Response:
    return httpx.post(
        server.base_url + TOKEN,
        data={"grant_type": "password", "username": ADMIN_EMAIL, "password": password},
        timeout=30,
    )


def _bearer(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_a_logout_through_one_server_ends_the_session_on_the_other(two_servers):
    first, second = two_servers
    login = _login(first)
    headers = _bearer(login)
    refresh = login.json()["refresh_token"]
    assert httpx.get(second.base_url + ME, headers=headers, timeout=30).status_code == 200
    assert httpx.post(first.base_url + "/api/v1/auth/logout", headers=headers).status_code == 204
    refused = httpx.get(second.base_url + ME, headers=headers, timeout=30)
    assert refused.status_code == 401, refused.text
    again = httpx.post(
        second.base_url + TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": refresh},
        timeout=30,
    )
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant", again.text


def test_wrong_passwords_count_across_both_servers(two_servers, tmp_path: Path):
    first, second = two_servers
    admin = _bearer(_login(first))
    email = f"guessed-{uuid.uuid4().hex[:8]}@secretariat.example.org"
    me = httpx.get(first.base_url + ME, headers=admin, timeout=30).json()
    made = httpx.post(
        first.base_url + "/api/v1/users",
        headers=admin,
        json={
            "email": email,
            "display_name": "Guessed At",
            "agency_id": me["agency"]["id"],
            "password": "a long and private passphrase",
        },
        timeout=30,
    )
    assert made.status_code == 201, made.text
    answers = []
    for attempt in range(5):  # the threshold: five wrong passwords, split over both servers
        server = (first, second)[attempt % 2]
        wrong = httpx.post(
            server.base_url + TOKEN,
            data={"grant_type": "password", "username": email, "password": f"wrong {attempt}"},
            timeout=30,
        )
        answers.append(wrong.status_code)
    assert answers == [400] * 5
    for server in (first, second):  # locked everywhere, even with the right password
        locked = httpx.post(
            server.base_url + TOKEN,
            data={
                "grant_type": "password",
                "username": email,
                "password": "a long and private passphrase",
            },
            timeout=30,
        )
        assert locked.status_code == 429, locked.text
        assert int(locked.headers["retry-after"]) > 0


def test_an_idempotent_retry_sent_to_the_other_server_replays_the_first_answer(two_servers):
    first, second = two_servers
    admin = _bearer(_login(first))
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"name": f"Westmarch Schools Trust {uuid.uuid4().hex[:6]}", "sector": "education"}
    created = httpx.post(
        first.base_url + "/api/v1/agencies", headers={**admin, **key}, json=body, timeout=30
    )
    assert created.status_code == 201, created.text
    retried = httpx.post(
        second.base_url + "/api/v1/agencies", headers={**admin, **key}, json=body, timeout=30
    )
    assert retried.status_code == 201, retried.text
    assert retried.json() == created.json()
    assert retried.headers["idempotent-replayed"] == "true"
    assert retried.headers["location"] == created.headers["location"]
    listed = httpx.get(
        second.base_url + "/api/v1/agencies", headers=admin, params={"limit": 200}, timeout=30
    ).json()["items"]
    assert [a["id"] for a in listed if a["name"] == body["name"]] == [created.json()["id"]]
