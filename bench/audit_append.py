"""Audited writes per second, against the same writes with auditing off.

    .venv/bin/python bench/audit_append.py [--seconds 5] [--rounds 3]
                                           [--db sqlite|postgres|both] [--level orm|api|both]

Two kinds of write, each with 1 and 4 concurrent writers:

- `api`: what a partner or an administrator does: `POST /api/v1/agencies` (the smallest
  write of the API) against the real app under uvicorn with as many worker processes as
  there are writers, driven by wrk with one connection per writer. With auditing off the
  workers build the same app without installing the recorder.
- `orm`: the write alone, the worst case for the recorder's share: one transaction that
  inserts one agency and commits, in a loop, each writer an OS process with its own engine
  (on SQLite checkpointing in the background, as a serving worker does); with auditing off
  the same writes go through a session class without the recorder.

The targets (auditing costs at most 30 % of write throughput; at least 300 audited writes/s
from 4 PostgreSQL writers) are checked on the `api` writes, the writes the service serves;
the `orm` figures are shown beside them.

With auditing on, each commit also appends a hash-chained record under the chain-head lock.
Runs of the two settings are interleaved (a drifting load hits both alike): each round runs
off, then on. Writes/s are the medians of `--rounds`; on/off is the median of the rounds'
own ratios. Every run gets a fresh, migrated database that is checked afterwards (every
write and its record are there, the chain verifies) and dropped. PostgreSQL is reached at
OVERSIGHT_BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from loadgen import Server, ensure_wrk, run_wrk
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from oversight.accounts.models import Agency, User
from oversight.audit import chain, recorder
from oversight.audit.models import AuditRecord
from oversight.db import make_engine, migrations, session_bind
from oversight.db.sqlite_checkpoints import start_checkpoints

PG_SERVER = os.environ.get(
    "OVERSIGHT_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


class AuditedSession(Session):
    """Sessions that record (the recorder is installed on this class only)."""


class PlainSession(Session):
    """The same sessions without the recorder: the baseline."""


def writer(url: str, audited: bool, seconds: float, start: Any, out: Any) -> None:
    engine = make_engine(url)
    checkpoints = start_checkpoints(engine)  # on SQLite, as a serving worker does
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
    if checkpoints is not None:
        checkpoints.stop()
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


def run_orm(kind: str, writers: int, audited: bool, seconds: float, tmp: Path) -> Result:
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


# ----------------------------------------------------------------------------- through the API

ADMIN_EMAIL = "admin@bench.example.org"
ADMIN_PASSWORD = "bench-password-correct-horse"
BENCH_DIR = Path(__file__).resolve().parent


def audited_app() -> FastAPI:
    """The app as `oversight serve` runs it (uvicorn factory, one per worker)."""
    from oversight.main import create_app, prepare_worker

    app = create_app()
    prepare_worker(app)
    return app


def plain_app() -> FastAPI:
    """The same app with the recorder never installed: nothing reaches the chain."""
    from oversight.main import create_app, prepare_worker

    recorder.install = _no_recorder  # type: ignore[assignment]
    app = create_app()
    prepare_worker(app)
    return app


def _no_recorder(*_args: object) -> None:
    return None


# Each request creates an agency with a new slug: `prefix` keeps runs apart, `n` requests.
CREATE_LUA = """
local prefix = "%s"
local n = 0
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = string.format(
    '{"name": "Bench agency %%s %%d", "slug": "b-%%s-%%d", "sector": "business"}',
    prefix, n, prefix, n)
  return wrk.format("POST", "/api/v1/agencies", nil, body)
end
"""


def seed_admin(url: str) -> None:
    from oversight.auth.passwords import hash_password

    engine = make_engine(url)
    agency = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            insert(Agency.__table__),
            [{"id": agency, "name": "Bench ROCU", "slug": "bench-rocu", "sector": "rocu"}],
        )
        conn.execute(
            insert(User.__table__),
            [
                {
                    "id": uuid.uuid4(),
                    "email": ADMIN_EMAIL,
                    "display_name": "Bench admin",
                    "agency_id": agency,
                    "roles": ["admin"],
                    "password_hash": hash_password(ADMIN_PASSWORD),
                }
            ],
        )
    engine.dispose()


def check_api(url: str, audited: bool, created: int, in_flight: int) -> None:
    """Every create of the run is stored, each with its record, and the chain verifies.

    wrk counts the responses it read: up to `in_flight` requests more may have been
    answered as it stopped."""
    engine = make_engine(url)
    with Session(engine) as session:
        agencies = session.scalar(
            select(func.count()).select_from(Agency).where(Agency.slug.like("b-%"))
        )
        creates = session.scalar(
            select(func.count())
            .select_from(AuditRecord)
            .where(AuditRecord.action == "agency.create")
        )
        assert agencies is not None and created <= agencies <= created + in_flight, agencies
        assert creates == (agencies if audited else 0), (creates, agencies)
        assert chain.verify(session).ok
    engine.dispose()


def run_api(kind: str, writers: int, audited: bool, seconds: float, tmp: Path) -> Result:
    db = Database(kind, tmp, warmups=0)
    try:
        seed_admin(db.url)
        factory = "audit_append:audited_app" if audited else "audit_append:plain_app"
        argv = [sys.executable, "-m", "uvicorn", factory, "--factory"]
        argv += ["--app-dir", str(BENCH_DIR), "--host", "127.0.0.1", "--port", "{port}"]
        argv += ["--workers", str(writers), "--log-level", "warning", "--no-access-log"]
        server = Server(argv, db.url, tmp)
        try:
            r = httpx.post(
                server.base + "/api/v1/auth/token",
                data={
                    "grant_type": "password",
                    "username": ADMIN_EMAIL,
                    "password": ADMIN_PASSWORD,
                },
            )
            r.raise_for_status()
            auth = [f"Authorization: Bearer {r.json()['access_token']}"]

            def load(secs: float) -> dict[str, float]:
                lua = CREATE_LUA % uuid.uuid4().hex[:12]
                return run_wrk(server.base, lua, secs, writers, tmp, auth, "create")

            warm = load(1)  # every worker connected and warm before the clock starts
            got = load(seconds)
        finally:
            server.stop()
        check_api(db.url, audited, int(warm["requests"] + got["requests"]), 2 * writers)
        return Result(kind, writers, audited, int(got["requests"]), got["rps"])
    finally:
        db.drop()


RUNS: dict[str, Callable[[str, int, bool, float, Path], Result]] = {
    "api": run_api,
    "orm": run_orm,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--level", choices=["api", "orm", "both"], default="both")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    levels = ["api", "orm"] if args.level == "both" else [args.level]
    if "api" in levels:
        ensure_wrk()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for level in levels:
            run = RUNS[level]
            for kind in kinds:
                for writers in (1, 4):
                    off: list[float] = []
                    on: list[float] = []
                    for _ in range(args.rounds):  # interleaved: a drifting load hits both alike
                        off.append(run(kind, writers, False, args.seconds, Path(tmp)).per_second)
                        on.append(run(kind, writers, True, args.seconds, Path(tmp)).per_second)
                    # Each round's pair ran back to back: the ratio of a pair drifts less
                    # than either figure does over the minutes between rounds.
                    ratio = statistics.median(b / a for a, b in zip(off, on, strict=True))
                    off_s, on_s = statistics.median(off), statistics.median(on)
                    rows.append((level, kind, writers, off_s, on_s, ratio))
                    print(
                        f"  {level} {kind} x{writers}: off {[round(x) for x in off]}, "
                        f"on {[round(x) for x in on]}",
                        file=sys.stderr,
                        flush=True,
                    )
    head = ("write", "database", "writers", "audit off/s", "audit on/s", "on/off", "cost")
    print("{:<6} {:<10} {:>7} {:>12} {:>11} {:>7} {:>6}".format(*head))
    for level, kind, writers, off_s, on_s, ratio in rows:
        print(
            f"{level:<6} {kind:<10} {writers:>7} {off_s:>12.0f} {on_s:>11.0f} "
            f"{ratio:>7.2f} {1 - ratio:>6.0%}"
        )
    targets(rows)


def targets(rows: list[tuple[str, str, int, float, float, float]]) -> None:
    """The targets are read on the product's writes (`api`); the bare transaction (`orm`)
    is shown for what it is, the recorder's share at its largest."""
    api = [r for r in rows if r[0] == "api"]
    if not api:
        return
    print("\nTargets, on writes through the API:")
    for _, kind, writers, _, _, ratio in api:
        cost = 1 - ratio
        flag = "ok" if cost <= 0.30 else "MISSED"
        print(f"  {kind} x{writers}: auditing costs {cost:.0%} (target <= 30%) {flag}")
    for _, kind, writers, _, on_s, _ in api:
        if kind == "postgres" and writers == 4:
            flag = "ok" if on_s >= 300 else "MISSED"
            print(f"  postgres x4: {on_s:.0f} audited writes/s (target >= 300) {flag}")


if __name__ == "__main__":
    main()
