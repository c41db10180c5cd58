"""Every error is an RFC 9457 problem tied to its request id; X-Request-ID is echoed."""

import pytest

from tests.support.auth import ME_URL, TOKEN_URL, assert_problem

PASSWORD_URL = "/api/v1/me/password"


@pytest.fixture
def member_headers(factory):
    return factory.headers(factory.user())


CASES = {
    "401-no-token": ("GET", ME_URL, {}, 401),
    "404-unknown-api-route": ("GET", "/api/v1/no-such-thing", {}, 404),
    "404-unknown-route": ("GET", "/no-such-page", {}, 404),
    "405-wrong-method": ("DELETE", ME_URL, {}, 405),
    "405-get-on-token": ("GET", TOKEN_URL, {}, 405),
    "400-unsupported-grant": ("POST", TOKEN_URL, {"data": {"grant_type": "magic"}}, 400),
    "415-text-body": (
        "POST",
        PASSWORD_URL,
        {"content": b"current_password=x", "headers": {"Content-Type": "text/plain"}},
        415,
    ),
    "415-form-body": (
        "POST",
        PASSWORD_URL,
        {"data": {"current_password": "x", "new_password": "y" * 12}},
        415,
    ),
    "422-malformed-json": (
        "POST",
        PASSWORD_URL,
        {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
        422,
    ),
    "422-json-not-utf8": (
        "POST",
        PASSWORD_URL,
        {
            "content": b'{"current_password": "\xff\xfe"}',
            "headers": {"Content-Type": "application/json"},
        },
        422,
    ),
    "422-unknown-field": (
        "POST",
        PASSWORD_URL,
        {"json": {"current_password": "x", "new_password": "y" * 12, "admin": True}},
        422,
    ),
    "413-too-large": (
        "POST",
        PASSWORD_URL,
        {
            "content": b"{" + b" " * (2 * 1024 * 1024) + b"}",
            "headers": {"Content-Type": "application/json"},
        },
        413,
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_every_error_is_a_problem_with_a_request_id(client, member_headers, case):
    method, url, kwargs, status = case
    kwargs = dict(kwargs)
    headers = {**member_headers, **kwargs.pop("headers", {})} if status != 401 else {}
    r = client.request(method, url, headers=headers, **kwargs)
    body = assert_problem(r, status)
    assert body["instance"] == url
    assert body["type"].startswith("/problems/")
    assert "Traceback" not in r.text


def test_405_names_the_allowed_methods(client, member_headers):
    r = client.delete(ME_URL, headers=member_headers)
    assert_problem(r, 405)
    assert "GET" in r.headers["allow"]


def test_422_lists_what_is_wrong_without_echoing_the_input(client, member_headers):
    secret = "my old password!"
    r = client.post(
        PASSWORD_URL,
        json={"current_password": secret, "new_password": "tiny-pw", "extra": secret},
        headers=member_headers,
    )
    body = assert_problem(r, 422)
    locs = {tuple(e["loc"]) for e in body["errors"]}
    assert ("body", "new_password") in locs and ("body", "extra") in locs
    assert all({"loc", "msg", "type"} <= e.keys() for e in body["errors"])
    assert secret not in r.text and "tiny-pw" not in r.text


def test_a_sent_request_id_is_echoed(client, member_headers):
    rid = "partner-7f3a:2026.11.27_09"
    ok = client.get(ME_URL, headers={**member_headers, "X-Request-ID": rid})
    assert ok.status_code == 200
    assert ok.headers["x-request-id"] == rid
    failed = client.get("/api/v1/nowhere", headers={**member_headers, "X-Request-ID": rid})
    assert assert_problem(failed, 404)["request_id"] == rid


@pytest.mark.parametrize("bad", ["has spaces", "x" * 129, "semi;colon", "é-unicode"])
def test_an_unsafe_request_id_is_replaced(client, bad):
    r = client.get("/healthz", headers={"X-Request-ID": bad.encode()})
    assert r.status_code == 200
    assert r.headers["x-request-id"] and r.headers["x-request-id"] != bad


def test_every_response_carries_a_request_id(client, member_headers):
    for r in (
        client.get("/healthz"),
        client.get(ME_URL, headers=member_headers),
        client.get(ME_URL),
    ):
        assert len(r.headers["x-request-id"]) >= 16
    assert client.get("/healthz").headers["x-request-id"] != r.headers["x-request-id"]


def test_member_data_is_not_cached_or_sniffed(client, member_headers):
    r = client.get(ME_URL, headers=member_headers)
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"
