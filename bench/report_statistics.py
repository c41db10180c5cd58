"""Statistics and the board update at scale: p50/p95 of each `group_by`, of the summary and of
the board update (JSON and HTML) over a year.

    .venv/bin/python bench/report_statistics.py [--db sqlite|postgres|both] [--reports 1000000]
        [--bulletins 20000] [--actions 5000] [--meetings 200] [--runs 20] [--board-runs 5]
        [--keep] [--url URL]

For each database: a fresh database migrated by the project's migrations (SQLite file in a
temp dir; PostgreSQL database on OVERSIGHT_BENCH_PG_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres, made and dropped), filled with
`--reports` reports from 40 agencies over two years by bulk insert (no ORM events, no audit:
the bench measures reads), then the statistics rollup filled by the function
`oversight reports rebuild-statistics` runs (`ReportRollup.rebuild`). Then
`reports.statistics` is timed for every `group_by` and the summary over one year, as the API
calls it, and the board update for that year as the chair of the partnership reads it
through the real app in process (`GET /api/v1/board-update`, JSON and HTML: token check,
the classified lists, their audited reads committed, the statistics, the render), over
`--bulletins` bulletins, `--actions` action items and `--meetings` meetings with published
minutes, all bulk-inserted over the same two years. `--keep` leaves the database (and
prints its URL); `--url` measures an existing one instead of filling a new one, so a
fill and its measurement can run as two sessions. Targets (issue 17): p95 < 200 ms for any
`group_by` at 1M reports, the board update for a year < 1 s.
"""

import argparse
import json
import os
import random
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, insert, select, text
from sqlalchemy.orm import Session

from oversight.accounts.models import Agency, User
from oversight.actions.models import ActionItem
from oversight.auth.scopes import format_scope, scopes_for_roles
from oversight.bulletins.models import Bulletin
from oversight.config import Settings
from oversight.db import make_engine, migrations
from oversight.main import create_app
from oversight.meetings.models import Meeting, MeetingMinutes
from oversight.reports import statistics
from oversight.reports.models import Outcome, Report, Vector, VictimType
from oversight.reports.rollup import ReportRollup

PG_SERVER = os.environ.get(
    "OVERSIGHT_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
GROUPS = ["month", "category", "vector", "victim_type", "outcome"]
CATEGORIES = ["fraud", "phishing", "ransomware", "account_takeover", "ddos", "data_theft"]
START = date(2025, 1, 1)
DAYS = 730
YEAR = (date(2025, 7, 1), date(2026, 6, 30))
BATCH = 20_000
SECRET = "bench-secret-" + "x" * 40
CHAIR = "chair@bench.example.org"


def _batches(rows: Any, engine: Engine, model: Any) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            with engine.begin() as conn:
                conn.execute(insert(model.__table__), batch)
            batch = []
    if batch:
        with engine.begin() as conn:
            conn.execute(insert(model.__table__), batch)


def _moment(rng: random.Random) -> datetime:
    day = START + timedelta(days=rng.randrange(DAYS))
    return datetime(day.year, day.month, day.day, rng.randrange(24), tzinfo=UTC)


def fill_reports(engine: Engine, n: int) -> list[uuid.UUID]:
    """40 agencies, an editor each and the chair (a member of the first); n reports."""
    rng = random.Random(1)
    with Session(engine) as s:
        agencies = [
            Agency(name=f"Agency {i}", slug=f"agency-{i}", sector="police") for i in range(40)
        ]
        s.add_all(agencies)
        s.flush()
        ids = [a.id for a in agencies]
        s.add_all(
            User(email=f"editor@agency-{i}.example.org", display_name=f"Editor {i}",
                 agency_id=a, roles=["member", "editor"], password_hash="!")
            for i, a in enumerate(ids)
        )  # fmt: skip
        s.add(User(email=CHAIR, display_name="Chair", agency_id=ids[0], password_hash="!"))
        s.commit()
    rows = (
        {
            "id": uuid.uuid4(),
            "agency_id": rng.choice(ids),
            "author_id": None,
            "kind": rng.choice(["incident", "near_miss"]),
            "occurred_on": START + timedelta(days=rng.randrange(DAYS)),
            "category": rng.choice(CATEGORIES),
            "vector": rng.choice(list(Vector)).value,
            "victim_type": rng.choice(list(VictimType)).value,
            "outcome": rng.choice(list(Outcome)).value,
            "financial_loss_gbp": rng.randrange(0, 5000),
            "reported_to_action_fraud": rng.random() < 0.6,
            "description": "",
            "anonymous_to_peers": False,
            "include_in_statistics": rng.random() < 0.95,
            "status": "submitted" if rng.random() < 0.98 else "withdrawn",
            "tlp": "AMBER",
            "protective_marking": "OFFICIAL",
            "recipient_agencies": [],
            "recipient_users": [],
            "names_agencies": False,
            "version": 1,
        }
        for _ in range(n)
    )
    _batches(rows, engine, Report)
    return ids


def _classified(rng: random.Random, agencies: list[uuid.UUID]) -> dict[str, Any]:
    tlp = rng.choices(["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"], [5, 40, 35, 15, 5])[0]
    return {
        "id": uuid.uuid4(),
        "agency_id": rng.choice(agencies),
        "author_id": None,
        "tlp": tlp,
        "protective_marking": "OFFICIAL-SENSITIVE" if tlp == "RED" else "OFFICIAL",
        "recipient_agencies": [],
        "recipient_users": [],
        "names_agencies": False,
    }


def fill_board(engine: Engine, agencies: list[uuid.UUID], args: argparse.Namespace) -> None:
    """Bulletins (most published), action items (most open) and meetings with minutes."""
    rng = random.Random(2)

    def bulletin() -> dict[str, Any]:
        at = _moment(rng)
        status = rng.choices(["published", "draft", "withdrawn"], [80, 10, 10])[0]
        return _classified(rng, agencies) | {
            "title": f"Bulletin {rng.randrange(10**6)}: {rng.choice(CATEGORIES)} campaign",
            "summary": "What we see and what to do.",
            "body": "## What we see\n\nA campaign.\n\n## What to do\n\n- Patch.",
            "category": rng.choice(CATEGORIES),
            "severity": rng.choice(["low", "medium", "high", "critical"]),
            "status": status,
            "published_at": None if status == "draft" else at,
            "withdrawn_at": at + timedelta(days=3) if status == "withdrawn" else None,
            "created_at": at - timedelta(hours=2),
            "updated_at": at,
            "version": 2,
        }

    def action() -> dict[str, Any]:
        at = _moment(rng)
        status = rng.choices(["open", "in_progress", "done", "cancelled"], [45, 25, 25, 5])[0]
        return _classified(rng, agencies) | {
            "title": f"Action {rng.randrange(10**6)}",
            "owner_agency_id": rng.choice(agencies),
            "due_date": (at + timedelta(days=rng.randrange(-30, 120))).date(),
            "status": status,
            "closed_at": at if status in ("done", "cancelled") else None,
            "created_at": at,
            "updated_at": at,
        }

    _batches((bulletin() for _ in range(args.bulletins)), engine, Bulletin)
    _batches((action() for _ in range(args.actions)), engine, ActionItem)
    meetings = [
        _classified(rng, agencies) | {"title": f"Board {i}", "held_at": _moment(rng)}
        for i in range(args.meetings)
    ]
    _batches(meetings, engine, Meeting)
    minutes = (
        {
            "meeting_id": m["id"],
            "revision": 1,
            "body": "## Decisions\n\nAgreed.",
            "decisions": ["Adopt the priority", "Fund the referral route"],
            "status": "published",
            "published_at": m["held_at"] + timedelta(days=14),
        }
        for m in meetings
    )
    _batches(minutes, engine, MeetingMinutes)


def analyze(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        return
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    with engine.connect() as conn:  # the bulk load's write-ahead log into the database
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def pct(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * p) - 1))] * 1000


def timed(label: str, runs: int, call: Any, results: dict[str, Any]) -> None:
    call()  # one warm-up run, not counted
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    results[label] = {"p50_ms": round(pct(times, 0.5), 1), "p95_ms": round(pct(times, 0.95), 1)}
    print(f"  {label:22} p50 {pct(times, 0.5):8.1f} ms   p95 {pct(times, 0.95):8.1f} ms")


def measure_statistics(engine: Engine, runs: int, results: dict[str, Any]) -> None:
    with Session(engine) as s:
        for group in GROUPS:
            timed(group, runs, lambda g=group: statistics.reports(s, g, *YEAR), results)
        timed("summary", runs, lambda: statistics.summary(s, *YEAR), results)


def measure_board(engine: Engine, url: str, runs: int, results: dict[str, Any]) -> None:
    settings = Settings(database_url=url, secret_key=SECRET, var_dir=Path(tempfile.mkdtemp()))
    app = create_app(settings, engine)
    with Session(engine) as s:
        chair = s.scalars(select(User).where(User.email == CHAIR)).one()
        agency = s.get_one(Agency, chair.agency_id)
        token = app.state.tokens.issue(
            sub=chair.id,
            kind="user",
            agency=chair.agency_id,
            scope=format_scope(scopes_for_roles(frozenset(chair.roles))),
            ver=chair.token_version,
            aver=agency.token_version,
        )
    params = {"from": YEAR[0].isoformat(), "to": YEAR[1].isoformat()}
    with TestClient(app) as client:
        for fmt, accept in (("json", "application/json"), ("html", "text/html")):
            headers = {"Authorization": f"Bearer {token}", "Accept": accept}

            def get(h: dict[str, str] = headers, fmt: str = fmt) -> None:
                r = client.get("/api/v1/board-update", params=params, headers=h)
                assert r.status_code == 200, r.text
                results.setdefault("board_bytes", {})[fmt] = len(r.content)
                if fmt == "json":
                    doc = r.json()
                    results["board_items"] = {
                        "bulletins": len(doc["bulletins"]),
                        "overdue_actions": len(doc["actions"]["overdue"]),
                        "reports": doc["threat_picture"]["summary"]["reports"],
                    }

            timed(f"board update {fmt}", runs, get, results)
    print(f"  board: {json.dumps(results['board_items'])} bytes {results['board_bytes']}")


def _database(kind: str) -> tuple[str, Any]:
    if kind == "sqlite":
        return f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}", None
    name = f"bench_statistics_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    return PG_SERVER.rsplit("/", 1)[0] + f"/{name}", (admin, name)


def run(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    url, made = (args.url, None) if args.url else _database(kind)
    engine = make_engine(url)
    results: dict[str, Any] = {"database": engine.dialect.name}
    try:
        if not args.url:
            migrations.upgrade(engine)
            t = time.perf_counter()
            agencies = fill_reports(engine, args.reports)
            results["fill_reports_s"] = round(time.perf_counter() - t, 1)
            t = time.perf_counter()
            with Session(engine) as s:
                results["rollup_rows"] = ReportRollup(s).rebuild()
                s.commit()
            results["rebuild_s"] = round(time.perf_counter() - t, 1)
            t = time.perf_counter()
            fill_board(engine, agencies, args)
            results["fill_board_s"] = round(time.perf_counter() - t, 1)
            analyze(engine)
            print(f"{kind}: filled {json.dumps(results)}")
        with engine.connect() as conn:
            results["reports"] = conn.scalar(select(func.count()).select_from(Report))
        print(f"{kind}: {results['reports']} reports, one year {YEAR[0]}..{YEAR[1]}")
        measure_statistics(engine, args.runs, results)
        measure_board(engine, url, args.board_runs, results)
    finally:
        engine.dispose()
        if args.keep:
            print(f"kept: {url}")
        elif made is not None:
            admin, name = made
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--bulletins", type=int, default=20_000)
    parser.add_argument("--actions", type=int, default=5_000)
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--board-runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--url", help="measure this filled database instead of a new one")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    out = [run(kind, args) for kind in kinds]
    print(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
