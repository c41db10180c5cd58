"""How every command speaks: --json for machines, one line for people, exit codes."""

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from sqlalchemy.orm import Session

from oversight.audit.recorder import SYSTEM, set_actor
from oversight.config import get_settings
from oversight.db import make_engine, make_sessionmaker
from oversight.errors import ProblemError

JsonOpt = typer.Option(False, "--json", help="Machine-readable output (JSON)")


def emit(data: Any, as_json: bool, text: str | None = None) -> None:
    if as_json:
        typer.echo(json.dumps(data, default=str, sort_keys=True))
    else:
        typer.echo(text if text is not None else json.dumps(data, default=str, indent=2))


def fail(message: str, as_json: bool = False, code: int = 1) -> NoReturn:
    if as_json:
        typer.echo(json.dumps({"error": message}), err=True)
    else:
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def cli_session(as_json: bool = False) -> Iterator[Session]:
    """A session acting as `system`; commits on success, one-line error on failure."""
    engine = make_engine(get_settings().database_url)
    session = make_sessionmaker(engine)()
    set_actor(session, SYSTEM)
    try:
        yield session
        session.commit()
    except ProblemError as exc:
        session.rollback()
        fail(exc.detail, as_json)
    except typer.Exit:
        session.rollback()
        raise
    except Exception as exc:
        session.rollback()
        fail(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", as_json)
    finally:
        session.close()
        engine.dispose()


def read_secret_stdin() -> str:
    value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        fail("expected a secret on standard input")
    return value
