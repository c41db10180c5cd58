"""Webhook delivery latency, and what the outbox costs a write.

    .venv/bin/python bench/webhooks.py [--db sqlite|postgres|both] [--rate 50] [--seconds 60]
                                       [--writes 300]

- latency: a partner system creates bulletins at `--rate` per second for `--seconds` (one
  writer, the real app in process), each an event its own webhook hears of; one
  `oversight worker` process delivers them to a receiver on 127.0.0.1. Latency is the time
  from the write's answer (its commit) to the receiver getting the delivery: p50 and p99.
- overhead: `--writes` bulletin creates through the API, with the outbox off (its listener
  removed), on without a webhook, and on with a subscribed webhook and a worker delivering
  meanwhile; writes/s of each and the p99 of a write. Settings are interleaved per round.

Every run gets a fresh, migrated database. PostgreSQL is reached at OVERSIGHT_BENCH_PG_URL
(default postgresql+psycopg://postgres@127.0.0.1:5432/postgres). Figures belong in
docs/architecture.md ("Change feed and webhooks").
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from oversight.agencies.models import Agency
from oversight.changes import outbox
from oversight.config import Settings
from oversight.db import make_engine, make_sessionmaker, migrations
from oversight.main import create_app
from oversight.service_accounts.models import ServiceAccount

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


class Receiver:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                item = json.loads(body)["data"]["resource_id"]
                receiver.arrived.setdefault(item, time.monotonic())
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


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

    def worker(self) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "OVERSIGHT_DATABASE_URL": self.url,
            "OVERSIGHT_SECRET_KEY": SECRET,
            "OVERSIGHT_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        }
        cmd = [sys.executable, "-c", "from oversight.cli import main; main()", "worker"]
        return subprocess.Popen([*cmd, "--idle-seconds", "0.02"], env=env, cwd=self.tmp)

    def close(self) -> None:
        self.client.close()
        self.engine.dispose()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latency(kind: str, rate: float, seconds: float, tmp: Path) -> dict[str, float]:
    url = new_database(kind, tmp)
    world = World(url, tmp)
    for _ in range(10):  # warm up before anyone listens
        world.write()
    receiver = Receiver()
    world.subscribe(receiver.url)
    proc = world.worker()
    committed: dict[str, float] = {}
    try:
        start = time.monotonic()
        n = 0
        while time.monotonic() - start < seconds:
            due = start + n / rate
            time.sleep(max(0.0, due - time.monotonic()))
            committed[world.write()] = time.monotonic()
            n += 1
        deadline = time.monotonic() + 60
        while len(receiver.arrived) < len(committed) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(30)
        receiver.server.shutdown()
        world.close()
        drop_database(url)
    gaps = [receiver.arrived[i] - t for i, t in committed.items() if i in receiver.arrived]
    return {
        "events": len(committed),
        "delivered": len(gaps),
        "achieved_rate": len(committed) / seconds,
        "p50_ms": 1000 * pct(gaps, 0.50),
        "p99_ms": 1000 * pct(gaps, 0.99),
    }


def overhead(kind: str, writes: int, rounds: int, tmp: Path) -> dict[str, dict[str, float]]:
    results: dict[str, list[tuple[float, float]]] = {"off": [], "on": [], "subscribed": []}
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
                proc = world.worker()
            try:
                for _ in range(10):  # warm up
                    world.write()
                times = []
                start = time.monotonic()
                for _ in range(writes):
                    t0 = time.monotonic()
                    world.write()
                    times.append(time.monotonic() - t0)
                elapsed = time.monotonic() - start
            finally:
                outbox.install()
                if proc is not None:
                    proc.terminate()
                    proc.wait(30)
                if receiver is not None:
                    receiver.server.shutdown()
                world.close()
                drop_database(url)
            results[setting].append((writes / elapsed, 1000 * pct(times, 0.99)))
    return {
        k: {
            "writes_per_s": statistics.median(r for r, _ in v),
            "p99_ms": statistics.median(p for _, p in v),
        }
        for k, v in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            lat = latency(kind, args.rate, args.seconds, Path(tmp))
            print(json.dumps({"db": kind, "latency": lat}), flush=True)
            ovh = overhead(kind, args.writes, args.rounds, Path(tmp))
            print(json.dumps({"db": kind, "overhead": ovh}), flush=True)


if __name__ == "__main__":
    main()
