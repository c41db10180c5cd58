"""An app on a database of its own, outside the per-test transaction: for requests that run
at the same time, as on a real server (the shared test connection serves one at a time)."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from oversight.audit import recorder
from oversight.main import create_app
from tests.support.databases import make_settings
from tests.support.factories import Factory


class OwnFactory(Factory):
    """Ends each read at once: an open read of SQLite's could not become a write later."""

    def token(self, *args: Any, **kw: Any) -> str:
        try:
            return super().token(*args, **kw)
        finally:
            self.session.commit()


@dataclass
class OwnDatabase:
    app: FastAPI
    engine: Engine
    factory: Factory
    session: Session


@pytest.fixture(scope="module")
def own_database(databases, tmp_path_factory) -> Iterator[OwnDatabase]:
    engine = databases.migrated_engine()
    settings = make_settings(
        engine.url.render_as_string(hide_password=False),
        tmp_path_factory.mktemp("own"),
        db_concurrency=4,
        hash_concurrency=2,
    )
    app = create_app(settings, engine)
    recorder.install()
    session = Session(engine, expire_on_commit=False)
    session.info["actor"] = recorder.SYSTEM
    try:
        yield OwnDatabase(app, engine, OwnFactory(session, app.state.tokens), session)
    finally:
        session.close()
        engine.dispose()
