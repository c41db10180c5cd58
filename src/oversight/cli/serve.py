"""`oversight serve`: migrate, then serve with uvicorn."""

import typer
import uvicorn

from oversight.cli import database
from oversight.config import get_settings
from oversight.db import make_engine, migrations


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
    port: int = typer.Option(8000, help="TCP port"),
    workers: int = typer.Option(1, min=1, help="Worker processes"),
    as_json: bool = typer.Option(False, "--json", help="Accepted for uniformity"),
) -> None:
    """Migrate the database, then serve the API."""
    settings = get_settings()
    engine = make_engine(database.url(as_json, create=True))
    migrations.upgrade(engine)
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
