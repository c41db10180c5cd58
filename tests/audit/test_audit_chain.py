"""The chain itself: canonical form, hash, verification, and how the recorder feeds it."""

import hashlib
import itertools
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from oversight.accounts.models import Agency
from oversight.audit import chain, recorder
from oversight.audit.models import GENESIS_HASH, AuditChainHead, AuditRecord
from oversight.audit.recorder import AuditBypassError, record
from oversight.audit_reads import repository
from tests.support.audit import records


def _fields(**over):
    base = {
        "seq": 1,
        "at": datetime(2026, 11, 27, 9, 30, 0, 5, tzinfo=UTC),
        "actor_type": "user",
        "actor_id": "u1",
        "agency_id": "a1",
        "action": "agency.update",
        "resource_type": "agency",
        "resource_id": "r1",
        "outcome": "success",
        "changes": {"name": {"before": "Nörth", "after": "South"}},
        "ip": "10.0.0.1",
        "user_agent": "ua",
        "request_id": "req",
        "prev_hash": GENESIS_HASH,
    }
    return base | over


def test_canonical_json_is_sorted_compact_utf8_with_rfc3339_utc():
    text = chain.canonical_json(_fields()).decode()
    doc = json.loads(text)
    assert list(doc) == sorted(doc)
    assert " " not in text.replace("Nörth", "")
    assert "Nörth" in text  # UTF-8, not \u-escaped
    assert doc["at"] == "2026-11-27T09:30:00.000005Z"
    assert "hash" not in doc


def test_canonical_json_normalises_timezones_and_integral_numbers():
    from datetime import timedelta, timezone

    local = datetime(2026, 11, 27, 10, 30, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    assert chain.canonical_json(_fields(at=local)) == chain.canonical_json(_fields())
    a = chain.canonical_json(_fields(changes={"n": {"after": 2.0}}))
    b = chain.canonical_json(_fields(changes={"n": {"after": 2}}))
    assert a == b


def test_chain_hash_is_sha256_of_prev_hash_and_canonical_json():
    fields = _fields()
    expected = hashlib.sha256(GENESIS_HASH.encode() + chain.canonical_json(fields)).hexdigest()
    assert chain.chain_hash(GENESIS_HASH, fields) == expected
    assert chain.chain_hash("1" * 64, fields) != expected
    assert chain.chain_hash(GENESIS_HASH, _fields(outcome="failure")) != expected


def test_records_link_into_one_chain(db):
    start = chain.head(db)[0]
    for i in range(5):
        record(db, "test.event", resource_type="thing", resource_id=i, changes={"i": i})
        db.commit()
    rows = records(db)
    assert [r.seq for r in rows] == list(range(1, start + 6))
    assert rows[0].prev_hash == GENESIS_HASH
    for before, rec in itertools.pairwise(rows):
        assert rec.prev_hash == before.hash
        assert rec.hash == chain.chain_hash(before.hash, chain.record_fields(rec))
    assert db.get(AuditChainHead, 1).hash == rows[-1].hash


def test_verify_ok_in_any_batch_size_and_with_a_checkpoint(db):
    for i in range(7):
        record(db, "test.event", changes={"i": i})
        db.commit()
    full = chain.verify(db)
    assert full.ok and full.first_bad_seq is None
    assert chain.verify(db, batch=2) == full
    assert chain.verify(db, full.records, full.head_hash).ok
    assert chain.verify(db, 3, records(db)[2].hash).ok


def test_verify_with_a_checkpoint_that_does_not_match(db):
    for i in range(4):
        record(db, "test.event", changes={"i": i})
        db.commit()
    result = chain.verify(db, 2, "f" * 64)
    assert not result.ok and result.first_bad_seq == 2 and result.records == 1
    ahead = chain.verify(db, chain.head(db)[0] + 3)
    assert not ahead.ok and ahead.first_bad_seq == chain.head(db)[0] + 1


def test_export_lines_rehash_to_their_hash(db):
    for i in range(3):
        record(db, "test.event", changes={"i": i, "x": 1.0})
        db.commit()
    prev = GENESIS_HASH
    lines = list(repository.export_lines(db, batch=2))
    assert len(lines) == chain.head(db)[0]
    for line in lines:
        doc = json.loads(line)
        digest = doc.pop("hash")
        canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert doc["prev_hash"] == prev
        assert hashlib.sha256((prev + canonical).encode()).hexdigest() == digest
        prev = digest


def test_change_and_its_record_commit_together(db):
    agency = Agency(name="Chained Agency", slug="chained-agency", sector="police")
    db.add(agency)
    db.commit()  # no explicit flush: the commit's own flush must be recorded too
    (rec,) = records(db, resource_id=str(agency.id))
    assert rec.action == "agency.create" and rec.actor_type == "system"
    assert rec.changes["name"] == {"after": "Chained Agency"}
    assert db.info.get(recorder.PENDING) in (None, [])


def test_update_records_before_and_after_only_of_what_changed(db):
    agency = Agency(name="Before Agency", slug="before-agency", sector="police")
    db.add(agency)
    db.commit()
    agency.name = "After Agency"
    agency.sector = "police"  # unchanged value: not a change
    db.commit()
    rec = records(db, resource_id=str(agency.id))[-1]
    assert rec.action == "agency.update"
    assert rec.changes == {"name": {"before": "Before Agency", "after": "After Agency"}}
    agency.sector = "police"
    db.commit()
    assert len(records(db, resource_id=str(agency.id))) == 2


def test_delete_records_the_last_values(db):
    agency = Agency(name="Gone Agency", slug="gone-agency", sector="health")
    db.add(agency)
    db.commit()
    db.expire(agency)
    db.delete(agency)
    db.commit()
    rec = records(db, resource_id=str(agency.id))[-1]
    assert rec.action == "agency.delete"
    assert rec.changes["name"] == {"before": "Gone Agency"}


def test_rolled_back_savepoint_drops_only_its_own_records(db):
    kept = Agency(name="Kept Agency", slug="kept-agency", sector="police")
    db.add(kept)
    db.flush()
    nested = db.begin_nested()
    dropped = Agency(name="Dropped Agency", slug="dropped-agency", sector="police")
    db.add(dropped)
    db.flush()
    nested.rollback()
    db.commit()
    assert [r.action for r in records(db, resource_id=str(kept.id))] == ["agency.create"]
    assert records(db, resource_id=str(dropped.id)) == []
    assert chain.verify(db).ok


def test_rollback_drops_pending_records(db):
    agency = Agency(name="Rolled Agency", slug="rolled-agency", sector="police")
    db.add(agency)
    record(db, "test.rolled_back")
    db.flush()
    db.rollback()
    record(db, "test.after_rollback")
    db.commit()
    assert records(db, action="test.rolled_back") == []
    assert records(db, resource_type="agency", resource_id=str(agency.id)) == []
    assert len(records(db, action="test.after_rollback")) == 1


def test_bulk_update_of_an_audited_table_is_refused(db):
    agency = Agency(name="Bulk Agency", slug="bulk-agency", sector="police")
    db.add(agency)
    db.commit()
    with pytest.raises(AuditBypassError, match="would not be recorded"):
        db.execute(update(Agency).where(Agency.id == agency.id).values(name="Sneaky"))
    with pytest.raises(AuditBypassError):
        db.execute(update(Agency.__table__).values(name="Sneaky"))
    db.rollback()
    assert db.scalar(select(Agency.name).where(Agency.id == agency.id)) == "Bulk Agency"


def test_actor_defaults(db):
    assert recorder.get_actor(db) is recorder.SYSTEM
    db.info.pop("actor")
    assert recorder.get_actor(db) is recorder.SYSTEM
    db.info["request"] = object()
    assert recorder.get_actor(db) is recorder.ANONYMOUS
    db.info.pop("request")


def test_a_fork_is_refused_by_the_uniqueness_guard(db):
    record(db, "test.one")
    db.commit()
    last = records(db)[-1]
    fork = chain.record_fields(last) | {"seq": last.seq + 1, "action": "test.fork"}
    fork["hash"] = chain.chain_hash(last.prev_hash, fork)
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        db.execute(AuditRecord.__table__.insert().values(fork))
    db.rollback()


@pytest.mark.parametrize(
    "changes",
    [None, {"name": {"before": 'Quote " and \\ back', "after": "ünï ✓"}}, {"n": {"after": 3.0}}],
)
def test_canonical_parts_reassemble_the_canonical_json(changes):
    fields = _fields(seq=4217, prev_hash="ab" * 32, changes=changes)
    a, b, c = chain.canonical_parts(fields)
    assert a + '"' + "ab" * 32 + '"' + b + "4217" + c == chain.canonical_json(fields).decode()


def test_several_records_of_one_transaction_link_in_order(db):
    record(db, "test.first", changes={"label": 'naïve "quoted" ✓'})
    record(db, "test.second", changes={"n": 2.0})
    record(db, "test.third")
    db.commit()
    rows = records(db)[-3:]
    assert [r.action for r in rows] == ["test.first", "test.second", "test.third"]
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    assert chain.verify(db).ok


def test_a_released_savepoint_leaves_its_records_to_the_outer_commit(db):
    before = chain.head(db)
    with db.begin_nested():
        record(db, "test.inside_savepoint")
    assert chain.head(db) == before  # not appended (nor the head locked) at the release
    assert len(db.info[recorder.PENDING]) == 1
    db.commit()
    assert len(records(db, action="test.inside_savepoint")) == 1
    assert chain.verify(db).ok
