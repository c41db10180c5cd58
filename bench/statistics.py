"""Statistics over many reports: p95 of each `group_by` and of the summary over a year.

    .venv/bin/python bench/statistics.py [--reports 1000000] [--runs 20] [--db sqlite|postgres]

Fills a fresh, migrated database with `--reports` submitted reports from 40 agencies spread
over two years (bulk insert, no audit: the bench measures reads), then times
`reports.statistics` for every grouping over one year, as the API calls it. The target
(issue 17): p95 < 200 ms at 1M reports. PostgreSQL is reached at OVERSIGHT_BENCH_PG_URL
(default postgresql+psycopg://postgres@127.0.0.1:5432/postgres; a database is made and
dropped).
"""

import argparse
import os
import random
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.orm import Session

from oversight.agencies.models import Agency
from oversight.db import make_engine, migrations
from oversight.reports import statistics
from oversight.reports.models import Outcome, Report, Vector, VictimType

GROUPS = ["month", "category", "vector", "victim_type", "outcome"]
CATEGORIES = ["fraud", "phishing", "ransomware", "account_takeover", "ddos", "data_theft"]


def fill(engine, n: int) -> None:
    rng = random.Random(1)
    with Session(engine) as s:
        agencies = [
            Agency(name=f"Agency {i}", slug=f"agency-{i}", sector="police") for i in range(40)
        ]
        s.add_all(agencies)
        s.commit()
        ids = [a.id for a in agencies]
        start = date(2025, 1, 1)
        batch = []
        for _ in range(n):
            batch.append(
                {
                    "id": uuid.uuid4(),
                    "agency_id": rng.choice(ids),
                    "author_id": None,
                    "kind": rng.choice(["incident", "near_miss"]),
                    "occurred_on": start + timedelta(days=rng.randrange(730)),
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
            )
            if len(batch) == 20_000:
                s.execute(insert(Report), batch)
                batch.clear()
        if batch:
            s.execute(insert(Report), batch)
        s.commit()
        if engine.dialect.name == "postgresql":
            s.execute(text("ANALYZE report"))
        else:
            s.execute(text("ANALYZE"))
        s.commit()


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


def measure(engine, runs: int) -> None:
    year = (date(2025, 7, 1), date(2026, 6, 30))
    with Session(engine) as s:
        for group in [*GROUPS, "summary"]:
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                if group == "summary":
                    statistics.summary(s, *year)
                else:
                    statistics.reports(s, group, *year)
                times.append(time.perf_counter() - t)
            print(f"{engine.dialect.name:10} {group:12} p95 {p95(times):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    if args.db == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
        admin = None
    else:
        base = os.environ.get(
            "OVERSIGHT_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        )
        name = f"bench_statistics_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        url = base.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    try:
        migrations.upgrade(engine)
        t = time.perf_counter()
        fill(engine, args.reports)
        print(f"filled {args.reports} reports in {time.perf_counter() - t:.0f} s")
        measure(engine, args.runs)
    finally:
        engine.dispose()
        if admin is not None:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE "{name}"'))


if __name__ == "__main__":
    main()
