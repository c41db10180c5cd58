"""Test database built by the migrations, once per run; each test isolated in a transaction.

Set OVERSIGHT_TEST_DATABASE_URL to a PostgreSQL URL to run the same suite there: a fresh
database is created on that server for the run and dropped afterwards.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from oversight.audit import recorder
from oversight.changes import outbox
from oversight.config import Settings
from oversight.db import make_engine, migrations, session_bind
from oversight.main import create_app
from tests.factories import Factory

TEST_SECRET = "test-secret-" + "x" * 40


def test_database_url() -> str | None:
    return os.environ.get("OVERSIGHT_TEST_DATABASE_URL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.postgres_only` tests are skipped on SQLite (CI fails on any PG skip)."""
    url = test_database_url()
    if url and url.startswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set OVERSIGHT_TEST_DATABASE_URL)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config: pytest.Config) -> str:
    url = test_database_url()
    return f"oversight database: {make_url(url).get_backend_name() if url else 'sqlite'}"


class Databases:
    """Makes fresh, migrated databases: SQLite files, or new databases on the PG server."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.server_url = test_database_url()
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


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("db"))
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def engine(databases: Databases) -> Iterator[Engine]:
    eng = databases.migrated_engine()
    yield eng
    eng.dispose()


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


@pytest.fixture(scope="session")
def settings(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(
        engine.url.render_as_string(hide_password=False), tmp_path_factory.mktemp("var")
    )


@pytest.fixture(autouse=True)
def _cheap_hashing(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with test-sized cost; production keeps the default."""
    from oversight.auth import passwords

    monkeypatch.setattr(passwords, "get_settings", lambda: settings)
    passwords._context.cache_clear()
    passwords._dummy_hash.cache_clear()


@pytest.fixture
def connection(engine: Engine) -> Iterator[object]:
    """One connection whose outer transaction is rolled back after the test."""
    conn = session_bind(engine).connect()
    trans = conn.begin()
    if conn.dialect.name == "postgresql":
        # Records are linked into the chain at COMMIT (migration 0006), which this rolled-back
        # transaction never reaches: link them at the end of each statement instead.
        conn.exec_driver_sql("SET CONSTRAINTS audit_pending_link IMMEDIATE")
        # Feed positions likewise, at the inserting statement (migration 0009).
        conn.exec_driver_sql("SET CONSTRAINTS change_event_position IMMEDIATE")
    yield conn
    trans.rollback()
    conn.close()


@pytest.fixture
def session_factory(connection: object) -> sessionmaker[Session]:
    recorder.install()
    outbox.install()
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def app(settings: Settings, engine: Engine, session_factory: sessionmaker[Session]) -> FastAPI:
    application = create_app(settings, engine)
    application.state.sessionmaker = session_factory
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session in the test's transaction, for arranging and inspecting state."""
    session = session_factory()
    session.info["actor"] = recorder.SYSTEM
    yield session
    session.close()


@pytest.fixture
def factory(db: Session, app: FastAPI) -> Factory:
    return Factory(db, app.state.tokens)


@pytest.fixture
def auth(factory: Factory) -> Callable[..., dict[str, str]]:
    return factory.headers
