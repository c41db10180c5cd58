"""Access tokens: JWTs signed with one pinned algorithm, every registered claim required."""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from jose import JWTError, jwt

from oversight.config import Settings
from oversight.db import utcnow
from oversight.errors import Unauthorized

REQUIRED = ("sub", "agency", "scope", "iat", "exp", "jti", "iss", "aud", "ver", "kind")


@dataclass(frozen=True, slots=True)
class AccessClaims:
    sub: uuid.UUID
    kind: str  # "user" | "service"
    agency: uuid.UUID
    scope: str
    ver: int
    jti: str


class TokenCodec:
    def __init__(self, settings: Settings) -> None:
        self.key = settings.resolved_secret()
        self.alg = settings.jwt_algorithm
        self.iss = settings.issuer
        self.aud = settings.audience
        self.lifetime = timedelta(minutes=settings.access_token_minutes)

    def issue(self, *, sub: uuid.UUID, kind: str, agency: uuid.UUID, scope: str, ver: int) -> str:
        now = utcnow()
        claims: dict[str, Any] = {
            "sub": str(sub),
            "kind": kind,
            "agency": str(agency),
            "scope": scope,
            "ver": ver,
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
        try:
            return AccessClaims(
                sub=uuid.UUID(claims["sub"]),
                kind=str(claims["kind"]),
                agency=uuid.UUID(claims["agency"]),
                scope=str(claims["scope"]),
                ver=int(claims["ver"]),
                jti=str(claims["jti"]),
            )
        except (ValueError, TypeError) as exc:
            raise Unauthorized("Access token claims are malformed") from exc
