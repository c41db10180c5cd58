"""Measure candidate designs of the request path on SQLite and PostgreSQL.

    .venv/bin/python bench/request_path.py [--duration 10] [--db sqlite|postgres|both]

Every candidate serves the same list (50 rows, about 18 KB of JSON, from a large table) behind
the same two dependencies as the real app: a session and an auth lookup by bearer token. Each
runs in its own uvicorn process (one worker, 127.0.0.1), loaded by wrk (or, without wrk, by
a small httpx load generator) with 32 connections. A probe asks a cheap endpoint every 10 ms
meanwhile; in a second phase one slow request (pg_sleep(0.5) on PostgreSQL, a half-second
recursive query on SQLite) is always in flight, so the probe shows whether unrelated requests
stall behind it. Needs the `bench` extra, locked in requirements/bench.txt (`make bench`
installs it: `.venv/bin/pip install --require-hashes -r requirements/bench.txt`).
"""

import argparse
import faulthandler
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import anyio.to_thread
import uvicorn
from fastapi import Depends, FastAPI, Header, HTTPException, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import String, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from oversight.db import Base, make_engine, make_sessionmaker

PAGE = 50
TOKEN = "bench-token-0123456789abcdef"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SLOW_SECONDS = 0.5
PROBE_EVERY = 0.01
WORDS = (
    "cyber fraud ransomware phishing council school charity police report alert incident "
    "partner network breach advisory response training exercise risk"
)

CANDIDATES: dict[str, str] = {
    "a-sync": "sync def endpoint, sync deps and session, default threadpool (40)",
    "b-sync-8": "as (a), threadpool limited to 8 tokens",
    "b-sync-4": "as (a), threadpool limited to 4 tokens",
    "c-async": "async def endpoint, async deps, AsyncSession (aiosqlite / psycopg async)",
    "d-one-hop": "async def endpoint, whole unit of work (deps included) in one thread hop",
    "d-one-hop-8": "as (d), threadpool limited to 8 tokens",
    "e-on-loop": "sync query run directly on the event loop (reference only)",
    "ping": "bare async /ping, no database",
}


# --------------------------------------------------------------------------- schema and data


class BenchItem(Base):
    __tablename__ = "bench_item"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    agency_id: Mapped[int]
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class BenchPrincipal(Base):
    __tablename__ = "bench_principal"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    is_active: Mapped[bool]


BENCH_TABLES = [BenchItem.__table__, BenchPrincipal.__table__]


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    agency_id: int
    title: str
    summary: str
    status: str
    created_at: datetime


class ItemPage(BaseModel):
    items: list[ItemRead]
    next_after: int | None


def _texts(rng: random.Random) -> tuple[list[str], list[str]]:
    words = WORDS.split()
    titles = [" ".join(rng.choices(words, k=7)).capitalize()[:110] for _ in range(997)]
    summaries = [" ".join(rng.choices(words, k=32)).capitalize()[:200] for _ in range(1009)]
    return titles, summaries


def _rows(n: int) -> Iterator[tuple[Any, ...]]:
    titles, summaries = _texts(random.Random(7))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for i in range(1, n + 1):
        yield (
            i,
            i % 40,
            titles[i % 997],
            summaries[i % 1009],
            "published" if i % 5 else "draft",
            start + timedelta(seconds=i * 13),
        )


def seed(url: str, rows: int) -> float:
    """Create the two tables and fill them; returns the seconds it took."""
    started = time.perf_counter()
    engine = make_engine(url)
    Base.metadata.create_all(engine, tables=BENCH_TABLES)
    with engine.begin() as conn:
        conn.execute(
            BenchPrincipal.__table__.insert(),
            [{"token": TOKEN, "name": "bench", "is_active": True}],
        )
    if engine.dialect.name == "sqlite":
        db = sqlite3.connect(make_url(url).database)
        db.execute("PRAGMA journal_mode=WAL")
        db.executemany(
            "INSERT INTO bench_item VALUES (?, ?, ?, ?, ?, ?)",
            ((*r[:5], r[5].replace(tzinfo=None).isoformat(sep=" ")) for r in _rows(rows)),
        )
        db.commit()
        db.execute("ANALYZE")
        db.close()
    else:
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            cols = "id, agency_id, title, summary, status, created_at"
            with cur.copy(f"COPY bench_item ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for r in _rows(rows):
                    copy.write_row(r)
            raw.commit()
            cur.execute("ANALYZE bench_item")
            raw.commit()
        finally:
            raw.close()
    engine.dispose()
    return time.perf_counter() - started


def calibrate_sqlite_slow(url: str) -> int:
    """How far the recursive query must count to take about SLOW_SECONDS."""
    db = sqlite3.connect(make_url(url).database)
    n = 200_000
    t = time.perf_counter()
    db.execute(SQLITE_SLOW, {"n": n}).fetchone()
    took = time.perf_counter() - t
    db.close()
    return max(10_000, int(n * SLOW_SECONDS / max(took, 1e-3)))


SQLITE_SLOW = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < :n) "
    "SELECT count(*) FROM c"
)


# --------------------------------------------------------------------------- the candidates


@dataclass
class ServerConfig:
    candidate: str
    url: str
    rows: int
    slow_n: int


def _slow_sql(cfg: ServerConfig) -> tuple[Any, dict[str, Any]]:
    if cfg.url.startswith("sqlite"):
        return text(SQLITE_SLOW), {"n": cfg.slow_n}
    return text("SELECT pg_sleep(:s)"), {"s": SLOW_SECONDS}


def _page_query(rows: int) -> tuple[Any, int]:
    after = random.randrange(rows - PAGE)
    return select(BenchItem).where(BenchItem.id > after).order_by(BenchItem.id).limit(PAGE), after


def _bearer(authorization: Annotated[str, Header()] = "") -> str:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(401, "Authentication required")
    return token


def _check(row: BenchPrincipal | None) -> str:
    if row is None or not row.is_active:
        raise HTTPException(401, "Token revoked")
    return row.name


def _to_page(items: list[BenchItem]) -> ItemPage:
    out = [ItemRead.model_validate(i) for i in items]
    return ItemPage(items=out, next_after=out[-1].id if out else None)


def _lifespan(tokens: int | None) -> Callable[[FastAPI], Any]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if tokens:
            anyio.to_thread.current_default_thread_limiter().total_tokens = tokens
        yield

    return lifespan


def app_sync(cfg: ServerConfig, tokens: int | None) -> FastAPI:
    """Today's design: every dependency and the endpoint are plain `def`."""
    engine = make_engine(cfg.url)
    factory = make_sessionmaker(engine)
    app = FastAPI(lifespan=_lifespan(tokens))

    def get_session() -> Iterator[Session]:
        session = factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    SessionDep = Annotated[Session, Depends(get_session, scope="function")]

    def principal(session: SessionDep, token: Annotated[str, Depends(_bearer)]) -> str:
        return _check(session.get(BenchPrincipal, token))

    Principal = Annotated[str, Depends(principal)]

    @app.get("/items", response_model=ItemPage)
    def items(session: SessionDep, _p: Principal) -> ItemPage:
        stmt, _ = _page_query(cfg.rows)
        return _to_page(list(session.scalars(stmt)))

    @app.get("/cheap", response_model=ItemRead)
    def cheap(session: SessionDep, _p: Principal) -> ItemRead:
        return ItemRead.model_validate(session.get(BenchItem, random.randint(1, cfg.rows)))

    @app.get("/slow")
    def slow(session: SessionDep, _p: Principal) -> dict[str, Any]:
        stmt, params = _slow_sql(cfg)
        return {"result": str(session.execute(stmt, params).scalar())}

    return app


def _async_engine(url: str) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    """The async twin of make_engine: same pool sizes, same SQLite pragmas and BEGIN IMMEDIATE."""
    if url.startswith("sqlite"):
        engine = create_async_engine(
            url.replace("sqlite://", "sqlite+aiosqlite://", 1), connect_args={"timeout": 30}
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
                cur.execute(f"PRAGMA {pragma}")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', '')}")

        bind = engine.execution_options(sqlite_begin="IMMEDIATE")
    else:
        engine = create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        bind = engine
    return engine, async_sessionmaker(bind, expire_on_commit=False)


def app_async(cfg: ServerConfig) -> FastAPI:
    """async def everywhere, on an AsyncSession."""
    _engine, factory = _async_engine(cfg.url)
    app = FastAPI()

    async def get_session() -> AsyncIterator[AsyncSession]:
        session = factory()
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
        finally:
            await session.close()

    SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]

    async def principal(session: SessionDep, token: Annotated[str, Depends(_bearer)]) -> str:
        return _check(await session.get(BenchPrincipal, token))

    Principal = Annotated[str, Depends(principal)]

    @app.get("/items", response_model=ItemPage)
    async def items(session: SessionDep, _p: Principal) -> ItemPage:
        stmt, _ = _page_query(cfg.rows)
        return _to_page(list(await session.scalars(stmt)))

    @app.get("/cheap", response_model=ItemRead)
    async def cheap(session: SessionDep, _p: Principal) -> ItemRead:
        return ItemRead.model_validate(await session.get(BenchItem, random.randint(1, cfg.rows)))

    @app.get("/slow")
    async def slow(session: SessionDep, _p: Principal) -> dict[str, Any]:
        stmt, params = _slow_sql(cfg)
        return {"result": str((await session.execute(stmt, params)).scalar())}

    return app


def _unit_of_work(
    factory: sessionmaker[Session], token: str, work: Callable[[Session], BaseModel]
) -> bytes:
    """Session, auth check, the work, serialisation and commit: all in the calling thread."""
    with factory() as session:
        try:
            _check(session.get(BenchPrincipal, token))
            body = work(session).model_dump_json().encode()
            session.commit()
            return body
        except BaseException:
            session.rollback()
            raise


def app_one_hop(cfg: ServerConfig, tokens: int | None, on_loop: bool = False) -> FastAPI:
    """async def endpoints whose whole unit of work runs in one thread hop (or on the loop)."""
    engine = make_engine(cfg.url)
    factory = make_sessionmaker(engine)
    app = FastAPI(lifespan=_lifespan(tokens))
    Token = Annotated[str, Depends(_bearer)]

    async def run(token: str, work: Callable[[Session], BaseModel]) -> Response:
        if on_loop:
            body = _unit_of_work(factory, token, work)
        else:
            body = await anyio.to_thread.run_sync(_unit_of_work, factory, token, work)
        return Response(body, media_type="application/json")

    def page(session: Session) -> ItemPage:
        stmt, _ = _page_query(cfg.rows)
        return _to_page(list(session.scalars(stmt)))

    def one(session: Session) -> ItemRead:
        return ItemRead.model_validate(session.get(BenchItem, random.randint(1, cfg.rows)))

    class Slow(BaseModel):
        result: str

    def slow_work(session: Session) -> Slow:
        stmt, params = _slow_sql(cfg)
        return Slow(result=str(session.execute(stmt, params).scalar()))

    @app.get("/items", response_model=ItemPage)
    async def items(token: Token) -> Response:
        return await run(token, page)

    @app.get("/cheap", response_model=ItemRead)
    async def cheap(token: Token) -> Response:
        return await run(token, one)

    @app.get("/slow")
    async def slow(token: Token) -> Response:
        return await run(token, slow_work)

    return app


def build_app(cfg: ServerConfig) -> FastAPI:
    c = cfg.candidate
    if c in ("a-sync", "ping"):
        app = app_sync(cfg, None)
    elif c.startswith("b-sync-"):
        app = app_sync(cfg, int(c.rsplit("-", 1)[1]))
    elif c == "c-async":
        app = app_async(cfg)
    elif c == "d-one-hop":
        app = app_one_hop(cfg, None)
    elif c == "d-one-hop-8":
        app = app_one_hop(cfg, 8)
    elif c == "e-on-loop":
        app = app_one_hop(cfg, None, on_loop=True)
    else:
        raise SystemExit(f"unknown candidate {c}")

    @app.get("/ping")
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    return app


def serve(cfg: ServerConfig, port: int) -> None:
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # kill -USR1 shows where it stalls
    uvicorn.run(
        build_app(cfg),
        host="127.0.0.1",
        port=port,
        workers=1,
        log_level="warning",
        access_log=False,
    )


# --------------------------------------------------------------------------- load and probes


@dataclass
class LoadResult:
    tool: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not m:
        raise ValueError(f"cannot read wrk latency {value!r}")
    return float(m.group(1)) * _UNIT[m.group(2)]


def run_wrk(url: str, seconds: float, connections: int, token: str = TOKEN) -> LoadResult:
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "--timeout",
            "30s",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return LoadResult(
        tool="wrk",
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(pct["50"]),
        p99_ms=_ms(pct["99"]),
        errors=errors + (int(non2xx.group(1)) if non2xx else 0),
    )


async def _httpx_load(url: str, seconds: float, connections: int) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=30) as client:
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                t = time.perf_counter()
                try:
                    r = await client.get(url)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - t)
                else:
                    errors += 1

        started = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for _ in range(connections):
                tg.start_soon(worker)
        elapsed = time.perf_counter() - started
    return {"n": len(latencies), "elapsed": elapsed, "lat": latencies, "errors": errors}


def run_httpx(url: str, seconds: float, connections: int) -> LoadResult:
    """Fallback load generator, in its own process so it does not share the probes' GIL."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--load",
            url,
            "--duration",
            str(seconds),
            "--connections",
            str(connections),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out)
    q = _quantiles(data["lat"])
    return LoadResult("httpx", data["n"] / data["elapsed"], q[0], q[1], data["errors"])


def _quantiles(samples_s: list[float]) -> tuple[float, float, float]:
    """p50, p99 and max, in milliseconds."""
    if not samples_s:
        return (float("nan"),) * 3  # type: ignore[return-value]
    xs = sorted(samples_s)
    p99 = xs[min(len(xs) - 1, int(len(xs) * 0.99))]
    return statistics.median(xs) * 1000, p99 * 1000, xs[-1] * 1000


@dataclass
class Probe:
    """Sequential GETs on one keep-alive connection, timing each."""

    port: int
    path: str
    pause: float
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        while not self.stop.is_set():
            t = time.perf_counter()
            try:
                conn.request("GET", self.path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status == 200:
                    self.latencies.append(time.perf_counter() - t)
                else:
                    self.failures += 1
            except (OSError, http.client.HTTPException):
                self.failures += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            if self.pause:
                time.sleep(self.pause)
        conn.close()


def _with_probes(probes: list[Probe], action: Callable[[], LoadResult]) -> LoadResult:
    threads = [threading.Thread(target=p.run, daemon=True) for p in probes]
    for th in threads:
        th.start()
    try:
        return action()
    finally:
        for p in probes:
            p.stop.set()
        for th in threads:
            th.join(timeout=60)


# --------------------------------------------------------------------------- orchestration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/ping")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def _get_ok(port: int, path: str) -> int:
    """One request that must succeed before any load; returns the body size."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Authorization": f"Bearer {TOKEN}"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    if resp.status != 200:
        raise RuntimeError(f"GET {path} answered {resp.status}: {body[:300]!r}")
    return len(body)


def measure(
    cfg: ServerConfig, args: argparse.Namespace, load: Callable[..., LoadResult]
) -> dict[str, Any]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            cfg.candidate,
            "--url",
            cfg.url,
            "--rows",
            str(cfg.rows),
            "--slow-n",
            str(cfg.slow_n),
            "--port",
            str(port),
        ],
    )
    try:
        _wait_ready(port, proc)
        base = f"http://127.0.0.1:{port}"
        sizes = {path: _get_ok(port, path) for path in ("/items", "/cheap", "/slow", "/ping")}
        path = "/ping" if cfg.candidate == "ping" else "/items"
        load(base + path, min(3.0, args.duration), args.connections)  # warm-up
        quiet = Probe(port, "/cheap", PROBE_EVERY)
        main = _with_probes([quiet], lambda: load(base + path, args.duration, args.connections))
        result: dict[str, Any] = {
            "candidate": cfg.candidate,
            "tool": main.tool,
            "rps": main.rps,
            "p50_ms": main.p50_ms,
            "p99_ms": main.p99_ms,
            "errors": main.errors,
            "probe_p99_ms": _quantiles(quiet.latencies)[1],
            "items_bytes": sizes["/items"],
        }
        if cfg.candidate != "ping":
            probe = Probe(port, "/cheap", PROBE_EVERY)
            slow = Probe(port, "/slow", 0.0)
            fair_s = max(4.0, args.duration / 2)
            _with_probes([probe, slow], lambda: load(base + path, fair_s, args.connections))
            p50, p99, worst = _quantiles(probe.latencies)
            result |= {
                "slow_probe_p50_ms": p50,
                "slow_probe_p99_ms": p99,
                "slow_probe_max_ms": worst,
                "slow_done": len(slow.latencies),
                "slow_p50_ms": _quantiles(slow.latencies)[0],
                "probe_failures": probe.failures + slow.failures,
            }
        return result
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Graceful stop; a server whose requests are stuck in the database is killed."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"
    return str(v)


def table(results: list[dict[str, Any]]) -> str:
    head = (
        "| db | candidate | req/s | p50 ms | p99 ms | cheap p99 ms (load) | "
        "cheap p50 / p99 / max ms (load + slow query) | slow requests done (p50 ms) | errors |"
    )
    lines = [head, "|" + "---|" * 9]
    for r in results:
        fair = (
            f"{_fmt(r['slow_probe_p50_ms'])} / {_fmt(r['slow_probe_p99_ms'])} / "
            f"{_fmt(r['slow_probe_max_ms'])}"
            if "slow_probe_p99_ms" in r
            else "-"
        )
        done = f"{r['slow_done']} ({_fmt(r['slow_p50_ms'])})" if "slow_done" in r else "-"
        errs = int(r["errors"] + r.get("probe_failures", 0))
        lines.append(
            f"| {r['db']} | {r['candidate']} | {_fmt(r['rps'])} | {_fmt(r['p50_ms'])} | "
            f"{_fmt(r['p99_ms'])} | {_fmt(r['probe_p99_ms'])} | {fair} | {done} | {errs} |"
        )
    return "\n".join(lines)


def real_app(kind: str, tmp: str, args: argparse.Namespace) -> dict[str, Any]:
    """`oversight serve` itself, on a freshly migrated database, loaded on GET /api/v1/me."""
    from oversight.accounts.models import Agency, User
    from oversight.auth.scopes import format_scope, scopes_for_roles
    from oversight.auth.tokens import TokenCodec
    from oversight.config import Settings
    from oversight.db import migrations

    url, drop = _database(kind, tmp, args.pg_server)
    try:
        secret = "bench-secret-" + "x" * 40
        settings = Settings(database_url=url, secret_key=secret, var_dir=tmp)
        engine = make_engine(url)
        migrations.upgrade(engine)
        with make_sessionmaker(engine)() as session:
            agency = Agency(name="Bench Agency", slug="bench", sector="police")
            session.add(agency)
            session.flush()
            user = User(
                email="bench@example.org",
                display_name="Bench",
                agency_id=agency.id,
                roles=["member"],
                password_hash="unused: the token is minted directly",
            )
            session.add(user)
            session.commit()
            token = TokenCodec(settings).issue(
                sub=user.id,
                kind="user",
                agency=agency.id,
                scope=format_scope(scopes_for_roles(frozenset(user.roles))),
                ver=user.token_version,
                aver=agency.token_version,
            )
        engine.dispose()
        port = _free_port()
        env = os.environ | {
            "OVERSIGHT_DATABASE_URL": url,
            "OVERSIGHT_SECRET_KEY": secret,
            "OVERSIGHT_VAR_DIR": tmp,
            "OVERSIGHT_LOG_LEVEL": "WARNING",
        }
        cli = os.path.join(os.path.dirname(sys.executable), "oversight")
        proc = subprocess.Popen([cli, "serve", "--port", str(port)], env=env)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    http.client.HTTPConnection("127.0.0.1", port, timeout=2).request(
                        "GET", "/healthz"
                    )
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError("oversight serve did not start") from None
                    time.sleep(0.2)
            me = f"http://127.0.0.1:{port}/api/v1/me"
            run_wrk(me, 3, args.connections, token)
            r = run_wrk(me, args.duration, args.connections, token)
        finally:
            _stop(proc)
        return {
            "db": kind,
            "rps": r.rps,
            "p50_ms": r.p50_ms,
            "p99_ms": r.p99_ms,
            "errors": r.errors,
        }
    finally:
        drop()


def medians(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (db, candidate): the median of each figure over the rounds."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in results:
        groups.setdefault((r["db"], r["candidate"]), []).append(r)
    out = []
    for rows in groups.values():
        merged = dict(rows[0])
        for key, value in rows[0].items():
            if isinstance(value, int | float) and key not in ("round",):
                merged[key] = statistics.median(r[key] for r in rows)
        merged["errors"] = sum(r["errors"] for r in rows)
        merged["probe_failures"] = sum(r.get("probe_failures", 0) for r in rows)
        out.append(merged)
    return out


def _loadavg_range(results: list[dict[str, Any]]) -> str:
    loads = [r["loadavg"] for r in results]
    return f"{min(loads):.1f} to {max(loads):.1f}" if loads else "-"


def _database(kind: str, tmp: str, pg_server: str) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        return f"sqlite:///{os.path.join(tmp, 'bench.db')}", lambda: None
    name = f"oversight_bench_{os.getpid()}"
    admin = make_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(pg_server).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--duration", type=float, default=10.0, help="seconds of load per candidate")
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--rounds", type=int, default=1, help="repeat, report the median")
    p.add_argument("--candidates", default=",".join(CANDIDATES), help="comma-separated")
    p.add_argument("--pg-server", default=PG_SERVER, help="PostgreSQL server (database is made)")
    p.add_argument("--loadgen", choices=["auto", "wrk", "httpx"], default="auto")
    p.add_argument("--real-app", action="store_true", help="load `oversight serve` on /me instead")
    p.add_argument("--json-out", help="also write the results as JSON to this file")
    p.add_argument("--serve", help=argparse.SUPPRESS)
    p.add_argument("--load", help=argparse.SUPPRESS)
    p.add_argument("--url", help=argparse.SUPPRESS)
    p.add_argument("--slow-n", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args()

    if args.serve:
        serve(ServerConfig(args.serve, args.url, args.rows, args.slow_n), args.port)
        return
    if args.load:
        data = anyio.run(_httpx_load, args.load, args.duration, args.connections)
        print(json.dumps(data))
        return

    use_wrk = args.loadgen == "wrk" or (args.loadgen == "auto" and shutil.which("wrk"))
    load = run_wrk if use_wrk else run_httpx
    candidates = [c.strip() for c in args.candidates.split(",") if c.strip()]
    for c in candidates:
        if c not in CANDIDATES:
            raise SystemExit(f"unknown candidate {c!r}; known: {', '.join(CANDIDATES)}")
    print(
        f"load generator: {'wrk (1 thread)' if use_wrk else 'httpx (async, own process)'}, "
        f"{args.connections} connections, {args.duration:g} s per candidate"
    )
    print(
        f"machine: {os.cpu_count()} CPUs, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB memory, "
        f"Python {sys.version.split()[0]}"
    )
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if args.real_app:
        if not shutil.which("wrk"):
            raise SystemExit("--real-app needs wrk (apt-get install wrk)")
        with tempfile.TemporaryDirectory(prefix="oversight-bench-") as tmp:
            for kind in kinds:
                r = real_app(kind, tmp, args)
                print(
                    f"oversight serve, GET /api/v1/me, {kind}: {r['rps']:,.0f} req/s, "
                    f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, errors {r['errors']}",
                    flush=True,
                )
        return
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="oversight-bench-") as tmp:
        for kind in kinds:
            url, drop = _database(kind, tmp, args.pg_server)
            try:
                took = seed(url, args.rows)
                slow_n = calibrate_sqlite_slow(url) if kind == "sqlite" else 0
                print(f"{kind}: seeded {args.rows:,} rows in {took:.1f} s", flush=True)
                for n in range(1, args.rounds + 1):
                    for c in candidates:
                        r = measure(ServerConfig(c, url, args.rows, slow_n), args, load)
                        r |= {"db": kind, "round": n, "loadavg": os.getloadavg()[0]}
                        results.append(r)
                        print(f"round {n} " + table([r]).splitlines()[-1], flush=True)
            finally:
                drop()
    print()
    print(f"median of {args.rounds} round(s), candidates interleaved within each round:")
    print(table(medians(results)))
    print(f"1-minute load average during the runs: {_loadavg_range(results)}")
    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
