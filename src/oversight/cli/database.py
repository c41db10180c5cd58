"""Which database a command acts on, checked before anything touches it.

Only the commands that set a database up (`db upgrade`, `bootstrap`, `demo`, `serve`) may
start a new SQLite file; every other one stops and says which database it looked for, so a
mistyped path or a forgotten `OVERSIGHT_DATABASE_URL` never leaves an empty database behind.
"""

import os
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from oversight.cli.output import fail
from oversight.config import get_settings
from oversight.db import migrations

SUPPORTED = {
    "sqlite": "sqlite:///path/to/oversight.db",
    "postgresql+psycopg": "postgresql+psycopg://user@host/dbname",
}
ENV = "OVERSIGHT_DATABASE_URL"


def url(as_json: bool = False, *, create: bool = False) -> str:
    """The configured database URL, once it is one this service speaks and (unless `create`)
    names a database that exists."""
    text = get_settings().database_url
    parsed = _parse(text, as_json)
    if not create and parsed.drivername == "sqlite":
        path = parsed.database
        if path and path != ":memory:" and not Path(path).exists():
            fail(_missing(path), as_json)
    return text


def _parse(text: str, as_json: bool) -> URL:
    try:
        parsed = make_url(text)
    except ArgumentError:
        parsed = None
    if parsed is None or parsed.drivername not in SUPPORTED:
        given = parsed.drivername if parsed is not None else "not a database URL"
        fail(
            f"unsupported database URL in {ENV} ({given}): use "
            + " or ".join(f"{name} ({form})" for name, form in SUPPORTED.items()),
            as_json,
        )
    return parsed


def _missing(path: str) -> str:
    source = f"{ENV} names" if ENV in os.environ else f"{ENV} is not set, so the default is"
    return (
        f"no database at {Path(path).resolve()} ({source} {path}): set {ENV} to your "
        "database, or create one with `oversight db upgrade` (or `oversight demo`)"
    )


def upgrade(engine: Engine) -> int:
    """Migrate to the latest schema, then store the list representation of every item that
    lacks one of its current version (`representations`); returns how many were stored."""
    from oversight.main import ROUTERS  # noqa: F401  (each domain registers its kinds)
    from oversight.representations.store import refresh_database

    migrations.upgrade(engine)
    return refresh_database(engine)
