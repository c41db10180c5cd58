"""Appending: when records join the chain, and the migration that moved it to commit time."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oversight.audit import chain, recorder
from oversight.audit.models import GENESIS_HASH, AuditRecord
from oversight.audit.recorder import record
from oversight.db import make_engine, make_sessionmaker, migrations, utcnow


@pytest.fixture
def fresh(databases) -> Iterator[Engine]:
    engine = databases.migrated_engine()
    recorder.install()
    yield engine
    engine.dispose()


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def _verify(engine: Engine) -> chain.Verification:
    with Session(engine) as session:
        return chain.verify(session)


@pytest.mark.postgres_only
def test_records_join_the_chain_when_their_transaction_commits(fresh):
    factory = make_sessionmaker(fresh)
    with factory() as session:
        record(session, "test.pending", changes={"label": 'naïve "quoted" ✓'})
        recorder._append(session)  # what the commit does first: hand the records over
        assert session.scalar(text("SELECT count(*) FROM audit_pending")) == 1
        assert session.scalar(select(func.count()).select_from(AuditRecord)) == 0
        session.commit()
    assert _count(fresh, "audit_record") == 1
    assert _count(fresh, "audit_pending") == 0
    assert _verify(fresh).ok


@pytest.mark.postgres_only
def test_a_rolled_back_transaction_leaves_no_pending_row_and_no_record(fresh):
    factory = make_sessionmaker(fresh)
    with factory() as session:
        record(session, "test.rolled_back")
        recorder._append(session)
        session.rollback()
    assert _count(fresh, "audit_record") == 0
    assert _count(fresh, "audit_pending") == 0


@pytest.mark.postgres_only
def test_an_open_transaction_does_not_hold_up_other_appends(fresh):
    """The chain head is locked by the commit, not before: a transaction that has handed
    over its records and is still working does not block another one's append."""
    factory = make_sessionmaker(fresh)
    slow = factory()
    try:
        record(slow, "test.slow")
        recorder._append(slow)
        with factory() as quick:
            quick.execute(text("SET LOCAL lock_timeout = '2s'"))
            record(quick, "test.quick")
            quick.commit()  # with the head locked by `slow`, this would wait, then fail
        slow.commit()
    finally:
        slow.close()
    with Session(fresh) as session:
        actions = session.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)).all()
    assert actions == ["test.quick", "test.slow"]
    assert _verify(fresh).ok


def test_a_transaction_with_many_records_links_them_in_order(fresh):
    factory = make_sessionmaker(fresh)
    with factory() as session:
        for i in range(250):
            record(session, "test.many", resource_type="thing", resource_id=i, changes={"i": i})
        session.commit()
    with Session(fresh) as session:
        rows = session.execute(
            select(AuditRecord.seq, AuditRecord.resource_id).order_by(AuditRecord.seq)
        ).all()
    assert [r.seq for r in rows] == list(range(1, 251))
    assert [r.resource_id for r in rows] == [str(i) for i in range(250)]
    assert _verify(fresh).ok


def _append_raw(session: Session, seq: int, prev: str, action: str) -> str:
    """A record written as the migrations before 0006 found the chain, by plain SQL."""
    fields = {
        "seq": seq,
        "at": utcnow(),
        "actor_type": "system",
        "actor_id": "system",
        "agency_id": None,
        "action": action,
        "resource_type": None,
        "resource_id": None,
        "outcome": "success",
        "changes": {"n": seq},
        "ip": None,
        "user_agent": None,
        "request_id": None,
        "prev_hash": prev,
    }
    fields["hash"] = chain.chain_hash(prev, fields)
    session.execute(AuditRecord.__table__.insert().values(fields))
    session.execute(
        text("UPDATE audit_chain_head SET seq = :s, hash = :h WHERE id = 1"),
        {"s": seq, "h": fields["hash"]},
    )
    return fields["hash"]


def test_a_chain_keeps_through_migration_0006_both_ways(databases):
    engine = make_engine(databases.new_url())
    try:
        migrations.upgrade(engine, "0005")
        with Session(engine) as session:
            prev = GENESIS_HASH
            for seq in range(1, 4):
                prev = _append_raw(session, seq, prev, "test.before")
            session.commit()
        migrations.upgrade(engine)
        recorder.install()
        with make_sessionmaker(engine)() as session:
            record(session, "test.after")
            session.commit()
        result = _verify(engine)
        assert result.ok and result.records == 4
        with engine.connect() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(text("UPDATE audit_record SET action = 'x' WHERE seq = 2"))
        with engine.connect() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(text("DELETE FROM audit_record WHERE seq = 2"))
        # A second record claiming seq 4's predecessor is still refused: no fork.
        with Session(engine) as session, pytest.raises(IntegrityError):
            last = session.scalars(select(AuditRecord).where(AuditRecord.seq == 4)).one()
            fork = chain.record_fields(last) | {"seq": 5, "action": "test.fork"}
            fork["hash"] = chain.chain_hash(last.prev_hash, fork)
            session.execute(AuditRecord.__table__.insert().values(fork))
        migrations.downgrade(engine, "0005")
        assert _verify(engine).ok
        migrations.upgrade(engine)
        assert _verify(engine).records == 4
    finally:
        engine.dispose()


def _commit_many(engine: Engine, action: str, n: int) -> None:
    with make_sessionmaker(engine)() as session:
        for i in range(n):
            record(session, action, resource_type="thing", resource_id=i, changes={"i": i})
        session.commit()


@pytest.mark.postgres_only
def test_the_link_reads_a_transactions_records_once_and_keeps_the_chain_both_ways(databases):
    """Migration 0012: the commit-time link copies the pending arrays into local variables
    (a subscript of the trigger row's field detoasts the whole array every time); the chain
    links the same way before, after and back."""
    engine = make_engine(databases.new_url())
    definition = "SELECT pg_get_functiondef('audit_link_pending'::regproc)"
    try:
        migrations.upgrade(engine, "0011")
        recorder.install()
        _commit_many(engine, "test.before", 300)
        migrations.upgrade(engine)
        with engine.connect() as conn:
            assert "pa text[] := NEW.a" in conn.execute(text(definition)).scalar_one()
        _commit_many(engine, "test.after", 300)
        migrations.downgrade(engine, "0011")
        with engine.connect() as conn:
            assert "NEW.a[i]" in conn.execute(text(definition)).scalar_one()
        _commit_many(engine, "test.back", 300)
        result = _verify(engine)
        assert result.ok and result.records == 900
        with Session(engine) as session:
            rows = session.execute(
                select(AuditRecord.seq, AuditRecord.action, AuditRecord.resource_id).order_by(
                    AuditRecord.seq
                )
            ).all()
        assert [r.seq for r in rows] == list(range(1, 901))
        assert [r.action for r in rows] == (
            ["test.before"] * 300 + ["test.after"] * 300 + ["test.back"] * 300
        )
        assert [r.resource_id for r in rows] == [str(i) for i in range(300)] * 3
    finally:
        engine.dispose()
