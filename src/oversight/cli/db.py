"""`oversight db upgrade|current`."""

import typer

from oversight.cli import database
from oversight.cli.output import JsonOpt, emit, example, fail
from oversight.db import make_engine, migrations

app = typer.Typer(help="Database schema (migrations).", no_args_is_help=True, rich_markup_mode=None)


@app.command(
    epilog=example(
        "OVERSIGHT_DATABASE_URL=postgresql+psycopg://oversight@db.example/oversight \\",
        "  oversight db upgrade",
    )
)
def upgrade(as_json: bool = JsonOpt) -> None:
    """Migrate the database to the latest schema (creating a SQLite database if need be),
    then store the list representations of items that lack them."""
    engine = make_engine(database.url(as_json, create=True))
    try:
        stored = database.upgrade(engine)
        current = sorted(migrations.current_revisions(engine))
    except Exception as exc:
        fail(f"migration failed: {exc}", as_json)
    finally:
        engine.dispose()
    text = f"database at revision {', '.join(current)}"
    if stored:
        text += f"; stored the representations of {stored} items"
    emit({"revision": current, "representations_stored": stored}, as_json, text)


@app.command(epilog=example("oversight db current --json"))
def current(as_json: bool = JsonOpt) -> None:
    """Show the database's schema revision and whether it is the latest."""
    engine = make_engine(database.url(as_json))
    try:
        now = sorted(migrations.current_revisions(engine))
        heads = sorted(migrations.head_revisions())
    except Exception as exc:
        fail(f"cannot read the schema revision: {exc}", as_json)
    finally:
        engine.dispose()
    up_to_date = now == heads
    emit(
        {"revision": now, "head": heads, "up_to_date": up_to_date},
        as_json,
        f"revision {', '.join(now) or '(none)'}"
        + (" (latest)" if up_to_date else f"; latest is {', '.join(heads)}"),
    )
