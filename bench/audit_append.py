"""Audited writes per second, against the same writes with auditing off.

    .venv/bin/python bench/audit_append.py [--seconds 5] [--db sqlite|postgres|both]

A write is one transaction that inserts one agency (an audited model) and commits, as an
endpoint would. With auditing on, the session class carries the recorder, so each commit
also appends a hash-chained record under the chain-head lock; with auditing off, the same
writes go through a session class without it. 1 and 4 writers, each an OS process with its
own engine (like the workers of `oversight serve`), start together and write for a fixed
time. Every run gets a fresh, migrated database that is dropped afterwards. PostgreSQL is
reached at OVERSIGHT_BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from oversight import migrations
from oversight.agencies.models import Agency
from oversight.audit import chain, recorder
from oversight.audit.models import AuditRecord
from oversight.db import make_engine, session_bind

PG_SERVER = os.environ.get(
    "OVERSIGHT_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


class AuditedSession(Session):
    """Sessions that record (the recorder is installed on this class only)."""


class PlainSession(Session):
    """The same sessions without the recorder: the baseline."""


def writer(url: str, audited: bool, seconds: float, start: Any, out: Any) -> None:
    engine = make_engine(url)
    cls: type[Session] = AuditedSession if audited else PlainSession
    if audited:
        recorder.install(AuditedSession)
    factory = sessionmaker(session_bind(engine), class_=cls, expire_on_commit=False)

    def write() -> None:
        with factory() as session:
            suffix = uuid.uuid4().hex
            session.add(Agency(name=f"Agency {suffix}", slug=f"a-{suffix}", sector="police"))
            session.commit()

    write()  # connect and warm up before the clock starts
    start.wait()
    count, began = 0, time.perf_counter()
    deadline = began + seconds
    while time.perf_counter() < deadline:
        write()
        count += 1
    out.put((count, time.perf_counter() - began))
    engine.dispose()


class Database:
    """A fresh, migrated database on SQLite (a temp file) or on the PostgreSQL server."""

    def __init__(self, kind: str, tmp: Path, warmups: int) -> None:
        self.kind = kind
        self.warmups = warmups  # one write per writer before the clock starts
        if kind == "sqlite":
            self.url = f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        else:
            self.name = f"oversight_bench_{uuid.uuid4().hex[:8]}"
            with make_engine(PG_SERVER, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.name}"'))
            self.url = make_url(PG_SERVER).set(database=self.name).render_as_string(False)
        engine = make_engine(self.url)
        migrations.upgrade(engine)
        engine.dispose()

    def check(self, audited: bool, writes: int) -> None:
        """Every audited write left exactly its record, and the chain verifies."""
        engine = make_engine(self.url)
        with Session(engine) as session:
            agencies = session.scalar(select(func.count()).select_from(Agency))
            recs = session.scalar(select(func.count()).select_from(AuditRecord))
            assert agencies == writes + self.warmups, (agencies, writes)
            assert recs == (agencies if audited else 0), (recs, agencies)
            assert chain.verify(session).ok
        engine.dispose()

    def drop(self) -> None:
        if self.kind == "postgres":
            with make_engine(PG_SERVER, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(make_url(self.url).database + suffix).unlink(missing_ok=True)  # type: ignore[operator]


@dataclass
class Result:
    db: str
    writers: int
    audited: bool
    writes: int
    per_second: float


def run(kind: str, writers: int, audited: bool, seconds: float, tmp: Path) -> Result:
    db = Database(kind, tmp, warmups=writers)
    try:
        ctx = multiprocessing.get_context("spawn")
        start, out = ctx.Event(), ctx.Queue()
        procs = [
            ctx.Process(target=writer, args=(db.url, audited, seconds, start, out))
            for _ in range(writers)
        ]
        for p in procs:
            p.start()
        time.sleep(2.0)  # let every writer connect and warm up
        start.set()
        got = [out.get(timeout=seconds + 120) for _ in procs]
        for p in procs:
            p.join()
        writes = sum(n for n, _ in got)
        elapsed = max(t for _, t in got)
        db.check(audited, writes)
        return Result(kind, writers, audited, writes, writes / elapsed)
    finally:
        db.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            for writers in (1, 4):
                off: list[float] = []
                on: list[float] = []
                for _ in range(args.rounds):  # interleaved, so drifting load hits both alike
                    off.append(run(kind, writers, False, args.seconds, Path(tmp)).per_second)
                    on.append(run(kind, writers, True, args.seconds, Path(tmp)).per_second)
                rows.append((kind, writers, statistics.median(off), statistics.median(on)))
                print(f"  {kind} x{writers}: off {off}, on {on}", file=sys.stderr)
    head = ("database", "writers", "audit off/s", "audit on/s", "on/off", "cost")
    print("{:<10} {:>7} {:>12} {:>11} {:>7} {:>6}".format(*head))
    for kind, writers, off_s, on_s in rows:
        ratio = on_s / off_s
        print(
            f"{kind:<10} {writers:>7} {off_s:>12.0f} {on_s:>11.0f} {ratio:>7.2f} {1 - ratio:>6.0%}"
        )


if __name__ == "__main__":
    main()
