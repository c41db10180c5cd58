"""The unit of work of a command: the same as a request's, acting as the system."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from oversight.audit import recorder
from oversight.audit.recorder import SYSTEM
from oversight.changes import outbox
from oversight.cli import database
from oversight.cli.output import fail, first_line
from oversight.db import make_engine, make_sessionmaker, migrations, unit_of_work
from oversight.errors import ProblemError
from oversight.representations import store as representations


@contextmanager
def cli_session(as_json: bool = False) -> Iterator[Session]:
    """One transaction acting as `system`: committed on success, rolled back (keeping what is
    kept on rollback, as for a request) with a one-line error on failure."""
    recorder.install()  # what the command changes is audited, as through the API
    outbox.install()  # and announced
    representations.install()  # and what lists serve of it kept
    engine = make_engine(database.url(as_json))
    try:
        current = migrations.is_current(engine)
    except Exception as exc:
        engine.dispose()
        fail(f"cannot reach the database: {first_line(exc)}", as_json)
    if not current:
        engine.dispose()
        fail(
            "the database schema is not at the latest migration: run `oversight db upgrade`",
            as_json,
        )
    try:
        with unit_of_work(make_sessionmaker(engine), actor=SYSTEM) as session:
            yield session
    except ProblemError as exc:
        fail(exc.detail, as_json)
    except typer.Exit:
        raise
    except Exception as exc:
        fail(f"{type(exc).__name__}: {first_line(exc)}".rstrip(": "), as_json)
    finally:
        engine.dispose()
