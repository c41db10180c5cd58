"""Argon2id password hashing, and opaque secrets stored only as SHA-256 digests."""

import hashlib
import hmac
import secrets
from functools import lru_cache

from passlib.context import CryptContext

from oversight.config import get_settings


@lru_cache
def _context() -> CryptContext:
    s = get_settings()
    return CryptContext(
        schemes=["argon2"],
        argon2__type="ID",
        argon2__memory_cost=s.argon2_memory_kib,
        argon2__rounds=s.argon2_time_cost,
    )


@lru_cache
def _dummy_hash() -> str:
    return _context().hash(secrets.token_urlsafe(24))


def hash_password(password: str) -> str:
    return _context().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Verify; for an unknown account, spend the same time on a dummy hash (no timing oracle)."""
    if password_hash is None:
        _context().verify(password, _dummy_hash())
        return False
    try:
        return _context().verify(password, password_hash)
    except (ValueError, TypeError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(18)


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    """High-entropy secrets (client secrets, refresh tokens) need no slow hash."""
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, digest: str | None) -> bool:
    return hmac.compare_digest(secret_digest(secret), digest or "0" * 64)
