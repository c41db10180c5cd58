"""What the authentication tests share: logging in, and reading problem answers."""

from typing import Any

from httpx import Response

from oversight.errors import PROBLEM_JSON

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/me"
PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance", "request_id"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client: Any, email: str, password: str, **form: str) -> Response:
    data = {"grant_type": "password", "username": email, "password": password, **form}
    return client.post(TOKEN_URL, data=data)


def tokens(client: Any, email: str, password: str) -> dict[str, Any]:
    r = login(client, email, password)
    assert r.status_code == 200, r.text
    return r.json()


def refresh(client: Any, refresh_token: str) -> Response:
    return client.post(
        TOKEN_URL, data={"grant_type": "refresh_token", "refresh_token": refresh_token}
    )


def assert_problem(r: Response, status: int, error: str | None = None) -> dict[str, Any]:
    """The answer is an RFC 9457 problem with the given status, tied to its request id."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].split(";")[0] == PROBLEM_JSON
    body = r.json()
    assert body.keys() >= PROBLEM_FIELDS, body
    assert body["status"] == status
    assert body["request_id"] and body["request_id"] == r.headers["x-request-id"]
    if error is not None:
        assert body.get("error") == error, body
    return body


def assert_unauthorized(r: Response) -> dict[str, Any]:
    body = assert_problem(r, 401)
    assert r.headers["www-authenticate"].split()[0] == "Bearer"
    return body
