"""`oversight serve`: migrate (unless told not to), then serve with uvicorn."""

import typer
import uvicorn

from oversight.cli import database
from oversight.config import get_settings
from oversight.db import make_engine


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
    port: int = typer.Option(8000, help="TCP port"),
    workers: int = typer.Option(1, min=1, help="Worker processes"),
    migrate: bool = typer.Option(
        True,
        "--migrate/--no-migrate",
        help="Bring the schema to the latest migration first (one machine); with several "
        "hosts, run `oversight db upgrade` once instead and start each with --no-migrate",
    ),
    as_json: bool = typer.Option(False, "--json", help="Accepted for uniformity"),
) -> None:
    """Migrate the database (unless --no-migrate), then serve the API."""
    settings = get_settings()
    if migrate:
        engine = make_engine(database.url(as_json, create=True))
        database.upgrade(engine)
        engine.dispose()
    settings.resolved_secret()  # generate it once here, not racing in every worker
    uvicorn.run(
        "oversight.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        access_log=False,
        proxy_headers=False,
    )
