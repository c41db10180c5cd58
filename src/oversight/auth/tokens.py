"""Access tokens: JWTs signed with one pinned algorithm, every registered claim required."""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from jose import JWTError, jwt

from oversight.config import Settings
from oversight.db import utcnow
from oversight.errors import Unauthorized

REQUIRED = ("sub", "agency", "scope", "iat", "exp", "jti", "iss", "aud", "ver", "aver", "kind")
# How far ahead of this clock another worker's clock may be when it issues a token.
CLOCK_SKEW_SECONDS = 60


@dataclass(frozen=True, slots=True)
class AccessClaims:
    sub: uuid.UUID
    kind: str  # "user" | "service"
    agency: uuid.UUID
    scope: str
    ver: int
    aver: int
    jti: str


class TokenCodec:
    def __init__(self, settings: Settings) -> None:
        self.key = settings.resolved_secret()
        self.alg = settings.jwt_algorithm
        self.iss = settings.issuer
        self.aud = settings.audience
        self.lifetime = timedelta(minutes=settings.access_token_minutes)

    def issue(
        self, *, sub: uuid.UUID, kind: str, agency: uuid.UUID, scope: str, ver: int, aver: int
    ) -> str:
        now = utcnow()
        claims: dict[str, Any] = {
            "sub": str(sub),
            "kind": kind,
            "agency": str(agency),
            "scope": scope,
            "ver": ver,
            "aver": aver,
            "iat": int(now.timestamp()),
            "exp": int((now + self.lifetime).timestamp()),
            "jti": uuid.uuid4().hex,
            "iss": self.iss,
            "aud": self.aud,
        }
        return jwt.encode(claims, self.key, algorithm=self.alg)

    @property
    def expires_in(self) -> int:
        return int(self.lifetime.total_seconds())

    def decode(self, token: str) -> AccessClaims:
        try:
            header = jwt.get_unverified_header(token)
        except JWTError as exc:
            raise Unauthorized("Malformed access token") from exc
        if header.get("alg") != self.alg:
            raise Unauthorized("Access token signed with an algorithm this service does not accept")
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[self.alg],
                audience=self.aud,
                issuer=self.iss,
                options={f"require_{c}": True for c in ("exp", "iat", "iss", "aud", "jti", "sub")},
            )
        except JWTError as exc:
            raise Unauthorized("Invalid or expired access token") from exc
        if any(c not in claims for c in REQUIRED):
            raise Unauthorized("Access token lacks a required claim")
        # NumericDate (RFC 7519) is a JSON number; the library would also take a string.
        numbers = ("iat", "exp", "ver", "aver")
        if any(type(claims[c]) is not int for c in numbers):
            raise Unauthorized("Access token claims are malformed")
        if claims["iat"] > utcnow().timestamp() + CLOCK_SKEW_SECONDS:
            raise Unauthorized("Access token is issued in the future")
        texts = ("sub", "kind", "agency", "scope", "jti")
        if any(not isinstance(claims[c], str) for c in texts):
            raise Unauthorized("Access token claims are malformed")
        try:
            return AccessClaims(
                sub=uuid.UUID(claims["sub"]),
                kind=claims["kind"],
                agency=uuid.UUID(claims["agency"]),
                scope=claims["scope"],
                ver=claims["ver"],
                aver=claims["aver"],
                jti=claims["jti"],
            )
        except ValueError as exc:
            raise Unauthorized("Access token claims are malformed") from exc
