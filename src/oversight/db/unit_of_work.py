"""The unit of work: one transaction that commits when its block ends, and what is kept even
when it rolls back. The API (a request) and the command line (a command) both run in one."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True, slots=True)
class RequestMeta:
    """Where an act came from, as the audit trail records it."""

    request_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None


KEPT = "kept_on_rollback"
Kept = Callable[[Session], None]


def keep_on_rollback(session: Session, write: Kept) -> None:
    """Make `write` happen whatever becomes of the transaction.

    For what must outlive the failure it describes: a refused login, a denied request, a
    reused refresh token. On commit `write` runs in the transaction; on rollback it runs in
    a fresh one right after, which is then committed.
    """
    session.info.setdefault(KEPT, []).append(write)


def _run_kept(session: Session) -> bool:
    kept: list[Kept] = session.info.pop(KEPT, [])
    for write in kept:
        write(session)
    return bool(kept)


@contextmanager
def unit_of_work(
    factory: "sessionmaker[Session]", *, meta: RequestMeta | None = None, actor: Any = None
) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back when it raises.

    The API (a request) and the command line (a command) both run inside one of these, so
    what is kept on rollback is kept the same way for both.
    """
    session = factory()
    if meta is not None:
        session.info["request"] = meta
    if actor is not None:
        session.info["actor"] = actor
    try:
        yield session
        _run_kept(session)
        session.commit()
    except BaseException:
        session.rollback()
        if _run_kept(session):
            session.commit()
        raise
    finally:
        session.close()
