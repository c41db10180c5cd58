"""One structured line per request: no secrets, and CR/LF can never split a line."""

import json
import logging

from tests.support.factories import DEFAULT_PASSWORD

ACCESS_LOG = "oversight.access"


def _lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == ACCESS_LOG]


def test_each_request_is_one_json_line_with_its_principal(client, factory, auth, caplog):
    caplog.set_level(logging.INFO, logger=ACCESS_LOG)
    user = factory.user()
    r = client.get("/api/v1/me", headers={**auth(user), "X-Request-ID": "trace-42"})
    assert r.status_code == 200
    (line,) = _lines(caplog)
    entry = json.loads(line)
    assert entry["request_id"] == "trace-42"
    assert entry["principal_id"] == str(user.id)
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/api/v1/me", 200)
    assert isinstance(entry["duration_ms"], float)


def test_cr_lf_in_the_path_cannot_forge_a_log_line(client, factory, auth, caplog):
    headers = auth(factory.user())
    caplog.set_level(logging.INFO, logger=ACCESS_LOG)
    r = client.get('/api/v1/x%0D%0A{"status":200,"path":"/forged"}', headers=headers)
    assert r.status_code == 404
    (line,) = _lines(caplog)
    assert "\n" not in line and "\r" not in line
    assert json.loads(line)["path"].startswith("/api/v1/x\r\n")


def test_no_password_or_token_reaches_the_log(client, factory, caplog):
    caplog.set_level(logging.DEBUG)
    user = factory.user()
    r = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": user.email, "password": DEFAULT_PASSWORD},
    )
    assert r.status_code == 200
    body = r.json()
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    text = "\n".join(rec.getMessage() for rec in caplog.records)
    for secret in (DEFAULT_PASSWORD, body["access_token"], body["refresh_token"]):
        assert secret not in text


def test_a_chunked_body_over_the_limit_is_413(client, factory, auth):
    admin = factory.user(roles=["admin"])

    def chunks():
        yield b'{"name": "'
        for _ in range(17):
            yield b"x" * 65536
        yield b'", "sector": "police"}'

    r = client.post(
        "/api/v1/agencies",
        content=chunks(),
        headers={**auth(admin), "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["request_id"]


def test_a_chunked_body_within_the_limit_is_read(client, factory, auth):
    admin = factory.user(roles=["admin"])

    def chunks():
        yield b'{"name": "Chunked Borough Council", '
        yield b'"slug": "chunked-borough", "sector": "local_authority"}'

    r = client.post(
        "/api/v1/agencies",
        content=chunks(),
        headers={**auth(admin), "Content-Type": "application/json"},
    )
    assert r.status_code == 201, r.text
