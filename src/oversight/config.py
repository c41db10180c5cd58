"""Settings read from the environment (OVERSIGHT_*), validated once at start-up."""

import logging
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

log = logging.getLogger("oversight.config")

MIN_SECRET_BYTES = 32
SECRET_FILE = "secret_key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OVERSIGHT_", extra="ignore")

    database_url: str = "sqlite:///./var/oversight.db"
    secret_key: str = ""
    var_dir: Path = Path("./var")
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=14, ge=1, le=365)
    cors_origins: Annotated[list[str], NoDecode] = []
    log_level: str = "INFO"
    issuer: str = "oversight"
    audience: str = "oversight-api"
    jwt_algorithm: str = "HS256"
    max_body_bytes: int = 1024 * 1024
    lockout_threshold: int = Field(default=5, ge=1)
    lockout_window_minutes: int = Field(default=15, ge=1)
    # Per client address, over every worker (counted in the database).
    token_requests_per_minute: int = Field(default=60, ge=1)
    client_failures_per_window: int = Field(default=20, ge=1)
    # Password hashes (Argon2id, ~64 MiB each) one worker computes at once; the rest wait
    # on the event loop, holding no thread, connection or database slot.
    hash_concurrency: int = Field(default=2, ge=1, le=64)
    # A request body must arrive whole within this time, else 408.
    body_timeout_seconds: float = Field(default=20.0, gt=0)
    # When set, requests naming another Host are refused (400).
    allowed_hosts: Annotated[list[str], NoDecode] = []
    idempotency_hours: int = 24
    argon2_memory_kib: int = Field(default=65536, ge=1024)
    argon2_time_cost: int = Field(default=3, ge=1)
    # How many API requests one worker lets into the database at once (0: automatic — one
    # on SQLite, whose sessions serialize on its write lock anyway; the pool size on
    # PostgreSQL). The rest wait without holding a thread, a connection or a lock.
    db_concurrency: int = Field(default=0, ge=0, le=200)
    db_pool_size: int = Field(default=10, ge=1, le=200)
    admission_timeout_seconds: float = Field(default=30.0, gt=0)
    # Host names or IP addresses webhooks may target (any port); see webhooks/targets.py.
    webhook_allowed_hosts: Annotated[list[str], NoDecode] = []
    # The address partners reach the API at: the `url` of an item in a webhook delivery.
    public_url: str = "http://127.0.0.1:8000"

    @property
    def effective_db_concurrency(self) -> int:
        if self.db_concurrency:
            return self.db_concurrency
        return 1 if self.is_sqlite else self.db_pool_size

    @field_validator("cors_origins", "allowed_hosts", "webhook_allowed_hosts", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [o.strip() for o in value.split(",") if o.strip()]
        return value

    @field_validator("jwt_algorithm")
    @classmethod
    def _pinned_hmac(cls, value: str) -> str:
        if value not in {"HS256", "HS384", "HS512"}:
            raise ValueError("jwt_algorithm must be one of HS256, HS384, HS512")
        return value

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and len(value.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"OVERSIGHT_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def resolved_secret(self) -> str:
        """The signing secret: from the environment, else generated once into var/ (0600)."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / SECRET_FILE
        if path.exists():
            value = path.read_text().strip()
            if len(value.encode()) < MIN_SECRET_BYTES:
                raise ValueError(f"{path} holds a secret shorter than {MIN_SECRET_BYTES} bytes")
            return value
        self.var_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker won the race: use its secret
            return self.resolved_secret()
        with os.fdopen(fd, "w") as fh:
            fh.write(value + "\n")
        log.warning("OVERSIGHT_SECRET_KEY is unset: generated one into %s (mode 0600)", path)
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
