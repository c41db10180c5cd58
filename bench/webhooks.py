"""Webhook delivery latency, and what the outbox and a delivering worker cost a write.

    .venv/bin/python bench/webhooks.py [--db sqlite|postgres|both] [--rate 50] [--seconds 60]
                                       [--writes 1000] [--rounds 3] [--only latency|overhead]
                                       [--worker-args "--batch 50"]

- latency: a partner system creates bulletins at `--rate` per second for `--seconds` (one
  writer, the real app in process), each an event its own webhook hears of; one
  `oversight worker` process (its defaults, or `--worker-args`) delivers them to a receiver
  on 127.0.0.1. Latency is the time from the write's answer (its commit) to the receiver
  getting the delivery: p50 and p99.
- overhead: `--writes` bulletin creates through the API, with the outbox off (its listener
  removed), on without a webhook, and on with a subscribed webhook and a worker delivering
  meanwhile; writes/s of each and the p99 of a write. Settings are interleaved per round,
  and the overhead is also given round by round (subscribed against off in the same round)
  with the median of those: the steadier figure on a machine whose speed drifts.
  With a webhook, the measurement starts once the worker is up and has delivered the
  warm-up writes, so its start (imports, connections) is not counted against the writes.

The receiver runs in a process of its own, as a partner's would (not in the writer's, where
it would take the writer's interpreter lock); writer, worker, receiver and the database still
share the machine's CPUs. The worker's CPU time per delivered event is reported as well.
Every run gets a fresh, migrated database. PostgreSQL is reached at OVERSIGHT_BENCH_PG_URL
(default postgresql+psycopg://postgres@127.0.0.1:5432/postgres). Figures belong in
docs/architecture.md ("Change feed and webhooks").
"""

import argparse
import json
import multiprocessing
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from oversight.accounts.models import Agency, ServiceAccount
from oversight.changes import outbox
from oversight.config import Settings
from oversight.db import make_engine, make_sessionmaker, migrations
from oversight.main import create_app, prepare_worker

PG_SERVER = os.environ.get(
    "OVERSIGHT_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SECRET = "bench-secret-" + "x" * 40
BODY = {
    "title": "Ransomware campaign against small businesses",
    "summary": "Affiliates are phishing SME payroll staff.",
    "body": "A macro document drops a loader, then the encryptor.",
    "category": "ransomware",
    "severity": "high",
    "tlp": "GREEN",
}


def new_database(kind: str, tmp: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.db'}"
    name = f"oversight_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        admin = make_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)'))
        admin.dispose()


def _receive(conn: Connection) -> None:
    """The receiver's process: answers 204, notes when each item first arrived, and tells
    the bench (through `conn`) its port, then how many arrived, then when each did."""
    arrived: dict[str, float] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keeps the connection open, as a partner's server does

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            arrived.setdefault(json.loads(body)["data"]["resource_id"], time.monotonic())
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    conn.send(server.server_address[1])
    while (ask := conn.recv()) != "stop":
        conn.send(len(arrived) if ask == "count" else dict(arrived))
    server.shutdown()


class Receiver:
    """A receiver in a process of its own (CLOCK_MONOTONIC is the same for all processes)."""

    def __init__(self) -> None:
        self.conn, theirs = multiprocessing.Pipe()
        self.proc = multiprocessing.get_context("spawn").Process(target=_receive, args=(theirs,))
        self.proc.start()
        self.url = f"http://127.0.0.1:{self.conn.recv()}/hook"

    def count(self) -> int:
        self.conn.send("count")
        return int(self.conn.recv())

    def arrived(self) -> dict[str, float]:
        self.conn.send("arrived")
        return dict(self.conn.recv())

    def wait_for(self, n: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.count() < n and time.monotonic() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        self.conn.send("stop")
        self.proc.join(10)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a running process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class World:
    """A migrated database, the app in process, a partner system that writes bulletins."""

    def __init__(self, url: str, tmp: Path) -> None:
        self.url, self.tmp = url, tmp
        self.engine = make_engine(url)
        migrations.upgrade(self.engine)
        settings = Settings(
            database_url=url,
            secret_key=SECRET,
            var_dir=tmp,
            log_level="WARNING",
            webhook_allowed_hosts=["127.0.0.1"],
        )
        self.app = create_app(settings, self.engine)
        # As `oversight serve` runs it: on SQLite, checkpoints in a thread of their own, so
        # no write pays for copying the log back (the worker's writes lengthen that log).
        prepare_worker(self.app)
        self.client = TestClient(self.app)
        with make_sessionmaker(self.engine)() as session:
            agency = Agency(
                name="Bench agency", slug=f"bench-{uuid.uuid4().hex[:6]}", sector="police"
            )
            session.add(agency)
            session.flush()
            account = ServiceAccount(
                name="Bench partner",
                agency_id=agency.id,
                client_id=f"cli_{uuid.uuid4().hex[:16]}",
                secret_hash="x",
                scopes=["bulletins:read", "bulletins:write", "webhooks:write"],
            )
            session.add(account)
            session.commit()
            token = self.app.state.tokens.issue(
                sub=account.id,
                kind="service",
                agency=agency.id,
                scope=" ".join(account.scopes),
                ver=account.token_version,
                aver=agency.token_version,
            )
        self.headers = {"Authorization": f"Bearer {token}"}

    def write(self) -> str:
        r = self.client.post("/api/v1/bulletins", json=BODY, headers=self.headers)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def subscribe(self, url: str) -> None:
        r = self.client.post("/api/v1/webhooks", json={"url": url}, headers=self.headers)
        assert r.status_code == 201, r.text

    def worker(self, args: list[str]) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "OVERSIGHT_DATABASE_URL": self.url,
            "OVERSIGHT_SECRET_KEY": SECRET,
            "OVERSIGHT_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        }
        cmd = [sys.executable, "-c", "from oversight.cli import main; main()", "worker"]
        return subprocess.Popen([*cmd, *args], env=env, cwd=self.tmp)

    def close(self) -> None:
        self.client.close()
        if self.app.state.checkpoints is not None:
            self.app.state.checkpoints.stop()
        self.engine.dispose()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latency(kind: str, rate: float, seconds: float, args: list[str], tmp: Path) -> dict:
    url = new_database(kind, tmp)
    world = World(url, tmp)
    for _ in range(10):  # warm up before anyone listens
        world.write()
    receiver = Receiver()
    world.subscribe(receiver.url)
    proc = world.worker(args)
    committed: dict[str, float] = {}
    try:
        ready = world.write()  # the worker is up once this one has arrived
        receiver.wait_for(1, 60)
        cpu0 = cpu_seconds(proc.pid)
        start = time.monotonic()
        n = 0
        while time.monotonic() - start < seconds:
            due = start + n / rate
            time.sleep(max(0.0, due - time.monotonic()))
            committed[world.write()] = time.monotonic()
            n += 1
        receiver.wait_for(len(committed) + 1, 60)
        cpu = cpu_seconds(proc.pid) - cpu0
        arrived = receiver.arrived()
    finally:
        proc.terminate()
        proc.wait(30)
        receiver.close()
        world.close()
        drop_database(url)
    gaps = [arrived[i] - t for i, t in committed.items() if i in arrived]
    return {
        "events": len(committed),
        "delivered": len(gaps),
        "achieved_rate": len(committed) / seconds,
        "p50_ms": 1000 * pct(gaps, 0.50),
        "p99_ms": 1000 * pct(gaps, 0.99),
        "max_ms": 1000 * max(gaps),
        "worker_cpu_ms_per_event": 1000 * cpu / max(1, len(gaps)),
        "ready_item": ready in arrived,
    }


def median(values: list[float]) -> float:
    """(`statistics` is shadowed here by bench/report_statistics.py.)"""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def measure(world: World, writes: int) -> tuple[float, float]:
    """Writes per second and the p99 of one write, in ms."""
    times = []
    start = time.monotonic()
    for _ in range(writes):
        t0 = time.monotonic()
        world.write()
        times.append(time.monotonic() - t0)
    return writes / (time.monotonic() - start), 1000 * pct(times, 0.99)


def overhead(kind: str, writes: int, rounds: int, args: list[str], tmp: Path) -> dict:
    results: dict[str, list[tuple[float, float]]] = {"off": [], "on": [], "subscribed": []}
    worker_cpu: list[float] = []
    for _ in range(rounds):
        for setting in results:
            url = new_database(kind, tmp)
            world = World(url, tmp)
            proc = None
            receiver = None
            if setting == "off":
                event.remove(Session, "after_flush", outbox._write)
            if setting == "subscribed":
                receiver = Receiver()
                world.subscribe(receiver.url)
                proc = world.worker(args)
            try:
                for _ in range(10):  # warm up
                    world.write()
                if receiver is not None and proc is not None:
                    receiver.wait_for(10, 60)  # the worker is up and delivering
                    cpu0 = cpu_seconds(proc.pid)
                results[setting].append(measure(world, writes))
                if receiver is not None and proc is not None:
                    receiver.wait_for(10 + writes, 60)
                    worker_cpu.append(1000 * (cpu_seconds(proc.pid) - cpu0) / writes)
            finally:
                outbox.install()
                if proc is not None:
                    proc.terminate()
                    proc.wait(30)
                if receiver is not None:
                    receiver.close()
                world.close()
                drop_database(url)
    summary: dict[str, object] = {
        k: {
            "writes_per_s": median([r for r, _ in v]),
            "p99_ms": median([p for _, p in v]),
            "rounds": [round(r, 1) for r, _ in v],
        }
        for k, v in results.items()
    }
    # Each round runs the three settings back to back, so the machine's drift between rounds
    # (seen here: the same setting up to 75 % apart) cancels out of a round's own ratio.
    paired = [
        100 * (on / off - 1)
        for (off, _), (on, _) in zip(results["off"], results["subscribed"], strict=True)
    ]
    summary["overhead_pct_by_round"] = [round(p, 1) for p in paired]
    summary["overhead_pct_median_of_rounds"] = round(median(paired), 1)
    summary["overhead_pct_mean_of_rounds"] = round(sum(paired) / len(paired), 1)
    summary["worker_cpu_ms_per_event"] = median(worker_cpu)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=["latency", "overhead"])
    parser.add_argument("--worker-args", default="", help="options for `oversight worker`")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    worker_args = shlex.split(args.worker_args)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            if args.only != "overhead":
                lat = latency(kind, args.rate, args.seconds, worker_args, Path(tmp))
                print(json.dumps({"db": kind, "latency": lat}), flush=True)
            if args.only != "latency":
                ovh = overhead(kind, args.writes, args.rounds, worker_args, Path(tmp))
                print(json.dumps({"db": kind, "overhead": ovh}), flush=True)


if __name__ == "__main__":
    main()
