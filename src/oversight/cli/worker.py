"""`oversight worker`: delivers webhooks from the change outbox until SIGTERM or SIGINT."""

import signal
from datetime import timedelta
from typing import Annotated

import typer

from oversight.audit import recorder
from oversight.changes import outbox
from oversight.cli.output import fail, first_line
from oversight.config import get_settings
from oversight.db import make_engine, make_sessionmaker, migrations
from oversight.webhooks.sending import TIMEOUT_SECONDS
from oversight.webhooks.worker import Worker


def worker(
    batch: Annotated[int, typer.Option(min=1, max=100, help="Deliveries claimed at once")] = 50,
    lease_seconds: Annotated[
        float,
        typer.Option(
            min=0.0,
            help="How long a claim holds (default: the batch's timeouts, `concurrency` at "
            "once, plus 30 s)",
        ),
    ] = 0.0,
    concurrency: Annotated[
        int, typer.Option(min=1, max=32, help="Deliveries sent at once (threads)")
    ] = 4,
    idle_seconds: Annotated[float, typer.Option(min=0.01, help="Longest pause when idle")] = 0.5,
    gather_seconds: Annotated[
        float,
        typer.Option(
            min=0.0, help="Pause after a pass that found less than a batch, to gather more"
        ),
    ] = 0.15,
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """Deliver webhooks: several may run on PostgreSQL; one at a time on SQLite."""
    recorder.install()  # a webhook disabled after failures is audited
    outbox.install()
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        if not migrations.is_current(engine):
            fail("the database schema is not at the latest migration", as_json)
    except typer.Exit:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        fail(f"cannot reach the database: {first_line(exc)}", as_json)
    lease = lease_seconds or -(-batch // concurrency) * TIMEOUT_SECONDS + 30
    runner = Worker(
        make_sessionmaker(engine),
        allowed=list(settings.webhook_allowed_hosts),
        public_url=settings.public_url,
        batch=batch,
        concurrency=concurrency,
        lease=timedelta(seconds=lease),
    )
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: runner.stopping.set())
    try:
        if once:
            runner.run_once()
        else:
            runner.run(idle_seconds, gather_seconds)
    finally:
        runner.close()
        engine.dispose()
