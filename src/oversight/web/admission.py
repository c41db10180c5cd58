"""Admission control: how many units of work of this worker are in the database at once.

A request holds its session (a pooled connection and, on SQLite, the write lock) across
several hops into the threadpool. Were more let in than the database can serve, the threads
would fill with requests waiting for a connection or the lock while the holder waits for a
thread: a stall. So a request takes a slot before its session opens and gives it back once
the session is closed; waiting for one happens on the event loop, holding nothing. Only
what opens a session takes a slot, and only after its body has arrived and its token has
been checked (see `middleware`), so a slow or anonymous client cannot occupy one.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import anyio
from fastapi import Request
from sqlalchemy.orm import Session

from oversight.db import unit_of_work
from oversight.errors import ServiceUnavailable

T = TypeVar("T")


class Admission:
    """The worker's database slots, and its bound on password hashes computed at once."""

    def __init__(self, slots: int, timeout: float, hashes: int) -> None:
        self.slots = slots
        self.timeout = timeout
        self.hashes = hashes
        self._slots: anyio.Semaphore | None = None
        self._hashing: anyio.CapacityLimiter | None = None

    @property
    def semaphore(self) -> anyio.Semaphore:
        if self._slots is None:  # made on the event loop that serves the worker
            self._slots = anyio.Semaphore(self.slots)
        return self._slots

    @property
    def hashing(self) -> anyio.CapacityLimiter:
        if self._hashing is None:
            self._hashing = anyio.CapacityLimiter(self.hashes)
        return self._hashing

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        try:
            with anyio.fail_after(self.timeout):
                await self.semaphore.acquire()
        except TimeoutError:
            raise ServiceUnavailable(
                "The service is busy; retry shortly", headers={"Retry-After": "1"}
            ) from None
        try:
            yield
        finally:
            self.semaphore.release()

    async def hash(self, work: Callable[[], T]) -> T:
        """Run a password hash in a thread, at most `hashes` at once, holding no slot."""
        return await anyio.to_thread.run_sync(work, limiter=self.hashing)


async def admitted(request: Request) -> AsyncIterator[None]:
    """The dependency the request session stands on: a slot for as long as it is open."""
    async with request.app.state.admission.slot():
        yield


async def in_unit(request: Request, work: Callable[[Session], T]) -> T:
    """Run `work` in one unit of work of its own, in one thread hop, inside a slot.

    For endpoints that must not hold a slot throughout (the token endpoint hashes a password
    between two short transactions).
    """
    from oversight.web.session import request_meta

    factory = request.app.state.sessionmaker
    meta = request_meta(request)

    def run() -> T:
        with unit_of_work(factory, meta=meta) as session:
            return work(session)

    async with request.app.state.admission.slot():
        return await anyio.to_thread.run_sync(run)
