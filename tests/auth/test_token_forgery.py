"""Forged, stale and malformed bearer tokens are all refused with 401 + WWW-Authenticate."""

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwt

from tests.support.auth import ME_URL, assert_unauthorized, bearer, tokens
from tests.support.factories import DEFAULT_PASSWORD

OTHER_KEY = "another-service-secret-" + "y" * 40


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(obj: dict[str, Any]) -> str:
    return b64(json.dumps(obj, separators=(",", ":")).encode())


def claims_for(user: Any, settings: Any, **changes: Any) -> dict[str, Any]:
    """The claims the service itself would issue for the user; `None` drops a claim."""
    now = int(time.time())
    claims = {
        "sub": str(user.id),
        "kind": "user",
        "agency": str(user.agency_id),
        "scope": "bulletins:read meetings:read actions:read",
        "ver": user.token_version,
        "aver": 1,
        "iat": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        "iss": settings.issuer,
        "aud": settings.audience,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def rsa_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


Forge = Callable[[Any, Any, str, Any], str]


def unsigned(alg: str) -> Forge:
    def forge(user, settings, key, client):
        return f"{segment({'alg': alg, 'typ': 'JWT'})}.{segment(claims_for(user, settings))}."

    return forge


def signed(alg: str, key_of: Callable[[str], Any] = lambda key: key, **changes: Any) -> Forge:
    def forge(user, settings, key, client):
        return jwt.encode(claims_for(user, settings, **changes), key_of(key), algorithm=alg)

    return forge


def tampered(user, settings, key, client):
    """A genuine token whose payload was edited to grant more, keeping the signature."""
    header, _, signature = jwt.encode(claims_for(user, settings), key, algorithm="HS256").split(".")
    payload = segment(claims_for(user, settings, scope="admin audit:read bulletins:read"))
    return f"{header}.{payload}.{signature}"


def refresh_as_access(user, settings, key, client):
    return tokens(client, user.email, DEFAULT_PASSWORD)["refresh_token"]


def time_shifted(seconds: int) -> Forge:
    def forge(user, settings, key, client):
        now = int(time.time())
        claims = {"iat": now + seconds - 600, "exp": now + seconds}
        return jwt.encode(claims_for(user, settings, **claims), key, algorithm="HS256")

    return forge


FORGERIES: dict[str, Forge] = {
    "alg-none": unsigned("none"),
    "alg-None": unsigned("None"),
    "alg-NONE": unsigned("NONE"),
    "hs256-other-key": signed("HS256", key_of=lambda key: OTHER_KEY),
    "hs384-header": signed("HS384"),
    "hs512-header": signed("HS512"),
    "rs256-header": signed("RS256", key_of=lambda key: rsa_pem()),
    "expired": time_shifted(-30),
    "no-exp": signed("HS256", exp=None),
    "no-iat": signed("HS256", iat=None),
    "no-jti": signed("HS256", jti=None),
    "no-sub": signed("HS256", sub=None),
    "no-revocation-counter": signed("HS256", ver=None),
    "no-agency-revocation-counter": signed("HS256", aver=None),
    "stale-agency-revocation-counter": signed("HS256", aver=0),
    "exp-as-string": lambda u, s, k, c: jwt.encode(
        claims_for(u, s, exp=str(int(time.time()) + 600)), k, algorithm="HS256"
    ),
    "iat-as-string": lambda u, s, k, c: jwt.encode(
        claims_for(u, s, iat=str(int(time.time()))), k, algorithm="HS256"
    ),
    "iat-in-the-future": lambda u, s, k, c: jwt.encode(
        claims_for(u, s, iat=int(time.time()) + 3600, exp=int(time.time()) + 4200),
        k,
        algorithm="HS256",
    ),
    "ver-as-string": signed("HS256", ver="1"),
    "wrong-iss": signed("HS256", iss="https://issuer.example.org"),
    "wrong-aud": signed("HS256", aud="some-other-api"),
    "unknown-subject": signed("HS256", sub=str(uuid.uuid4())),
    "unknown-kind": signed("HS256", kind="robot"),
    "other-agency": signed("HS256", agency=str(uuid.uuid4())),
    "stale-revocation-counter": signed("HS256", ver=0),
    "tampered-payload": tampered,
    "refresh-token-as-access-token": refresh_as_access,
    "garbage": lambda *a: "not-a-token",
    "three-garbage-segments": lambda *a: "abc.def.ghi",
    "empty-segments": lambda *a: "..",
}


def test_a_token_forged_the_service_way_is_accepted(client, factory, settings, app):
    """The baseline: the forgeries below differ from this only in what they break."""
    user = factory.user()
    token = signed("HS256")(user, settings, app.state.tokens.key, client)
    r = client.get(ME_URL, headers=bearer(token))
    assert r.status_code == 200, r.text
    assert r.json()["id"] == str(user.id)


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_forged_token_is_refused(client, factory, settings, app, forge):
    user = factory.user(roles=["admin"])
    token = forge(user, settings, app.state.tokens.key, client)
    body = assert_unauthorized(client.get(ME_URL, headers=bearer(token)))
    assert token not in json.dumps(body)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer    "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Token abc"},
    ],
    ids=["missing", "empty", "bearer-without-token", "bearer-blank", "basic", "other-scheme"],
)
def test_missing_bearer_token_is_refused(client, headers):
    body = assert_unauthorized(client.get(ME_URL, headers=headers))
    assert "Bearer" in body["detail"]


def test_token_stops_working_when_its_principal_loses_standing(client, factory, db):
    """Suspension, disabling and revocation hold on the very next request."""
    agency = factory.agency()
    suspended_user, disabled_user = factory.user(agency), factory.user()
    partner = factory.service_account()
    held = {p.id: bearer(factory.token(p)) for p in (suspended_user, disabled_user, partner)}
    for principal_id, headers in held.items():
        assert client.get(ME_URL, headers=headers).status_code == 200, principal_id

    agency.status = "suspended"
    disabled_user.is_active = False
    partner.is_active = False
    db.commit()

    for headers in held.values():
        assert_unauthorized(client.get(ME_URL, headers=headers))
