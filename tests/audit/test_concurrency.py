"""Several writers at once still make one gapless, verifiable chain."""

import multiprocessing
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oversight.audit import chain, recorder
from oversight.audit.models import AuditRecord
from oversight.audit.recorder import Actor, record
from oversight.db import make_engine, make_sessionmaker

WRITERS = 4
EACH = 100


def append_many(url: str, writer: int, start: object) -> None:
    """One writer with its own engine: EACH records, each in its own transaction."""
    engine = make_engine(url)
    recorder.install()
    factory = make_sessionmaker(engine)
    start.wait(timeout=60)  # type: ignore[attr-defined]
    try:
        for i in range(EACH):
            with factory() as session:
                record(
                    session,
                    "test.concurrent",
                    resource_id=f"{writer}-{i}",
                    actor=Actor("system", f"writer-{writer}"),
                )
                session.commit()
    finally:
        engine.dispose()


def _check(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        seqs = list(session.scalars(select(AuditRecord.seq).order_by(AuditRecord.seq)))
        assert seqs == list(range(1, WRITERS * EACH + 1))
        per_writer = dict(
            session.execute(
                select(AuditRecord.actor_id, func.count()).group_by(AuditRecord.actor_id)
            ).all()
        )
        assert per_writer == {f"writer-{w}": EACH for w in range(WRITERS)}
        result = chain.verify(session)
        assert result.ok and result.records == WRITERS * EACH
    engine.dispose()


@pytest.mark.postgres_only
def test_processes_append_one_chain_on_postgresql(databases):
    if not databases.is_postgres:
        pytest.skip(
            "needs PostgreSQL: row locks across OS processes (set OVERSIGHT_TEST_DATABASE_URL)"
        )
    engine = databases.migrated_engine()
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=append_many, args=(url, w, start)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(timeout=180)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    _check(url)


def test_threads_with_their_own_engines_append_one_chain(databases):
    engine = databases.migrated_engine()
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    start = threading.Event()
    errors: list[BaseException] = []

    def run(w: int) -> None:
        try:
            append_many(url, w, start)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    start.set()
    for t in threads:
        t.join(timeout=180)
    assert not errors, errors
    _check(url)
