"""`oversight serve`: migrate (unless told not to), then serve with uvicorn."""

import contextlib
import socket
import sys
from typing import Any

import typer
import uvicorn
from uvicorn.supervisors import Multiprocess

from oversight.cli import database
from oversight.config import get_settings
from oversight.db import make_engine

APP = "oversight.asgi:app"


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
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "workers": workers,
        "log_level": settings.log_level.lower(),
        "access_log": False,
        "proxy_headers": False,
    }
    if workers == 1 or not sys.platform.startswith("linux"):
        uvicorn.run(APP, **options)
        return
    _listen(host, port, shared=False).close()  # the port is free: say so here, once
    # uvicorn.run's own supervisor, each worker on a socket of its own (OwnSocket).
    sockets: list[Any] = [OwnSocket(host, port)]
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(uvicorn.Config(APP, **options), sockets=sockets).run()


class OwnSocket:
    """The listening socket of one worker process, made in that process.

    uvicorn's supervisor binds one socket and hands it to every worker: under a burst of new
    connections the worker that wakes first accepts most of them, and a client's keep-alive
    connections stay where they landed (seen here: 32 connections of a load run all on one
    of two workers, which then served no more than one worker does). On Linux each worker
    instead listens on a socket of its own on the same port (SO_REUSEPORT) and the kernel
    spreads new connections over them. The supervisor passes this object to each worker it
    starts, and restarts, as it would a socket; unpickled there, it is that worker's socket.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    def __reduce__(self) -> tuple[object, tuple[str, int]]:
        return _listen, (self.host, self.port)


def _listen(host: str, port: int, *, shared: bool = True) -> socket.socket:
    """A socket bound to host:port. `shared`: one of this server's workers' sockets on the
    port; unshared, the check before starting them, which fails while anything holds the
    port, another server's workers included (they too would accept a shared bind)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SystemExit(f"error: cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock
