"""Fresh migrated test databases (SQLite files, or new databases on a PostgreSQL server) and
the settings the tests run with."""

import os
import uuid
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from oversight.config import Settings
from oversight.db import make_engine, migrations

TEST_SECRET = "test-secret-" + "x" * 40


def database_under_test() -> str | None:
    return os.environ.get("OVERSIGHT_TEST_DATABASE_URL")


class Databases:
    """Makes fresh, migrated databases: SQLite files, or new databases on the PG server."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.server_url = database_under_test()
        self.made: list[str] = []

    @property
    def is_postgres(self) -> bool:
        return bool(self.server_url and self.server_url.startswith("postgresql"))

    def new_url(self) -> str:
        if not self.is_postgres:
            return f"sqlite:///{self.tmp / f'oversight-{uuid.uuid4().hex[:8]}.db'}"
        name = f"oversight_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        admin = make_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.made.append(name)
        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def migrated_engine(self) -> Engine:
        engine = make_engine(self.new_url())
        migrations.upgrade(engine)
        return engine

    def drop_all(self) -> None:
        if not self.is_postgres or not self.made:
            return
        admin = make_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_settings(url: str, tmp: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": url,
        "secret_key": TEST_SECRET,
        "var_dir": tmp,
        "argon2_memory_kib": 1024,
        "argon2_time_cost": 1,
        "log_level": "WARNING",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
