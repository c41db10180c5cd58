"""The rollup filled from reports already stored: by migration 0011 on upgrade, and by
`oversight reports rebuild-statistics` after reports were written around the application."""

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import delete, insert, text, update
from sqlalchemy.orm import Session

from oversight.accounts.models import Agency
from oversight.db import make_engine, migrations
from oversight.reports.models import Report
from oversight.reports.rollup import ReportRollup, ReportTally
from tests.support.cli import out
from tests.support.rollup import recomputed, stored


def _rows(agencies: list[uuid.UUID], n: int) -> list[dict]:
    """Reports as a bulk load writes them: straight into the table, no ORM events."""
    rng = random.Random(11)
    return [
        {
            "id": uuid.uuid4(),
            "agency_id": rng.choice(agencies),
            "author_id": None,
            "kind": rng.choice(["incident", "near_miss"]),
            "occurred_on": date(2025, 1, 1) + timedelta(days=rng.randrange(400)),
            "category": rng.choice(["fraud", "phishing", "ddos"]),
            "vector": rng.choice(["phishing", "insider"]),
            "victim_type": rng.choice(["individual", "sme"]),
            "outcome": rng.choice(["loss", "prevented"]),
            "financial_loss_gbp": rng.randrange(0, 9000),
            "reported_to_action_fraud": rng.random() < 0.5,
            "description": "",
            "anonymous_to_peers": False,
            "include_in_statistics": rng.random() < 0.8,
            "status": "submitted" if rng.random() < 0.8 else "withdrawn",
            "tlp": "AMBER",
            "protective_marking": "OFFICIAL",
            "recipient_agencies": [],
            "recipient_users": [],
            "names_agencies": False,
            "version": 1,
        }
        for _ in range(n)
    ]


def test_migration_0011_fills_the_rollup_from_the_reports_stored(databases):
    engine = make_engine(databases.new_url())
    try:
        migrations.upgrade(engine, "0010")
        with Session(engine) as session:
            agencies = [Agency(name=f"A{i}", slug=f"a-{i}", sector="police") for i in range(4)]
            session.add_all(agencies)
            session.flush()
            session.execute(insert(Report.__table__), _rows([a.id for a in agencies], 300))
            session.commit()
        migrations.upgrade(engine)
        with engine.connect() as conn:
            filled = stored(conn)
            assert filled == recomputed(conn)
            assert (
                len(filled) > 7 * 4
                and sum(n for (d, *_), (n, _) in filled.items() if d == "month") > 100
            )
        migrations.downgrade(engine, "0010")  # and back: the covering index returns
        with engine.connect() as conn:
            names = {r[0] for r in conn.execute(text(_INDEXES[engine.dialect.name]))}
            assert "ix_report_statistics" in names and "report_tally" not in names
        migrations.upgrade(engine)
        with engine.connect() as conn:
            assert stored(conn) == filled
    finally:
        engine.dispose()


_INDEXES = {
    "sqlite": "SELECT name FROM sqlite_master",
    "postgresql": "SELECT indexname FROM pg_indexes UNION SELECT tablename FROM pg_tables",
}


def test_rebuild_recounts_what_was_written_around_the_application(cli):
    assert cli("demo", "--json").exit_code == 0
    engine = make_engine(cli.url)
    try:
        with engine.begin() as conn:
            kept = stored(conn)
            assert kept == recomputed(conn) and kept
            conn.execute(delete(ReportTally).where(ReportTally.dimension == "vector"))
            conn.execute(update(ReportTally).values(count=ReportTally.count + 1))
            agency = conn.scalar(text("SELECT id FROM agency LIMIT 1"))
            conn.execute(insert(Report.__table__), _rows([uuid.UUID(str(agency))], 20))
            assert stored(conn) != recomputed(conn)
        rebuilt = out(cli("reports", "rebuild-statistics", "--json"))
        with engine.connect() as conn:
            now = stored(conn)
            assert now == recomputed(conn) and now != kept
            assert rebuilt == {"rows": len(now)}
        again = out(cli("reports", "rebuild-statistics", "--json"))
        with engine.connect() as conn:
            assert stored(conn) == now and again == rebuilt
        with Session(engine) as session:  # and the function itself, as the bench calls it
            assert ReportRollup(session).rebuild() == len(now)
            session.commit()
    finally:
        engine.dispose()
