"""Tampering with the trail (after lifting the append-only guard) is detected, by seq."""

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from oversight.audit import chain, recorder
from oversight.audit.recorder import record
from oversight.db import make_sessionmaker
from tests.support.audit import drop_append_only, restore_append_only

N = 6


@pytest.fixture
def trail(databases) -> Iterator[Engine]:
    """A fresh database holding a chain of N records, each from its own transaction."""
    engine = databases.migrated_engine()
    recorder.install()
    factory = make_sessionmaker(engine)
    for i in range(1, N + 1):
        with factory() as session:
            record(session, "test.event", resource_type="thing", resource_id=i, changes={"i": i})
            session.commit()
    yield engine
    engine.dispose()


def _hash(conn: Connection, seq: int) -> str:
    return conn.execute(
        text("SELECT hash FROM audit_record WHERE seq = :s"), {"s": seq}
    ).scalar_one()


def _tamper(engine: Engine, change: Callable[[Connection], None]) -> None:
    with engine.begin() as conn:
        drop_append_only(conn)
        change(conn)
        restore_append_only(conn)


def _verify(engine: Engine, *checkpoint: object) -> chain.Verification:
    with Session(engine) as session:
        return chain.verify(session, *checkpoint)


def _sql(*statements: str) -> Callable[[Connection], None]:
    def run(conn: Connection) -> None:
        for statement in statements:
            conn.execute(text(statement))

    return run


def test_an_untouched_chain_verifies(trail):
    result = _verify(trail)
    assert result.ok and result.records == N and result.first_bad_seq is None


@pytest.mark.parametrize(
    ("statements", "first_bad"),
    [
        pytest.param(
            ["UPDATE audit_record SET action = 'test.other' WHERE seq = 3"], 3, id="edit-action"
        ),
        pytest.param(
            ["UPDATE audit_record SET outcome = 'failure' WHERE seq = 4"], 4, id="edit-outcome"
        ),
        pytest.param(
            ["UPDATE audit_record SET actor_id = 'someone' WHERE seq = 2"], 2, id="edit-actor"
        ),
        pytest.param(
            ["UPDATE audit_record SET resource_id = NULL WHERE seq = 5"], 5, id="edit-null"
        ),
        pytest.param(["DELETE FROM audit_record WHERE seq = 3"], 3, id="delete-middle"),
        pytest.param(
            [
                "UPDATE audit_record SET seq = -4 WHERE seq = 4",
                "UPDATE audit_record SET seq = 4 WHERE seq = 2",
                "UPDATE audit_record SET seq = 2 WHERE seq = -4",
            ],
            2,
            id="swap-two",
        ),
        pytest.param(
            [f"UPDATE audit_record SET prev_hash = '{'a' * 64}' WHERE seq = 3"], 3, id="prev-hash"
        ),
        pytest.param([f"DELETE FROM audit_record WHERE seq > {N - 2}"], N - 1, id="cut-tail"),
    ],
)
def test_tampering_is_detected_at_the_first_bad_seq(trail, statements, first_bad):
    _tamper(trail, _sql(*statements))
    result = _verify(trail)
    assert not result.ok
    assert result.first_bad_seq == first_bad
    assert result.records == first_bad - 1
    assert result.reason


def test_edited_changes_are_detected(trail):
    with trail.connect() as conn:
        changes = conn.execute(text("SELECT changes FROM audit_record WHERE seq = 4")).scalar_one()
    assert changes is not None
    _tamper(trail, _sql("UPDATE audit_record SET changes = NULL WHERE seq = 4"))
    assert _verify(trail).first_bad_seq == 4


def test_a_tail_cut_with_its_head_is_caught_by_a_checkpoint(trail):
    checkpoint = _verify(trail)
    assert checkpoint.ok

    def cut(conn: Connection) -> None:
        keep = N - 2
        conn.execute(text(f"DELETE FROM audit_record WHERE seq > {keep}"))
        conn.execute(
            text("UPDATE audit_chain_head SET seq = :s, hash = :h WHERE id = 1"),
            {"s": keep, "h": _hash(conn, keep)},
        )

    _tamper(trail, cut)
    assert _verify(trail).ok  # self-consistent without the checkpoint: that is what it is for
    result = _verify(trail, checkpoint.records, checkpoint.head_hash)
    assert not result.ok and result.first_bad_seq == N - 1
    assert _verify(trail, checkpoint.records).first_bad_seq == N - 1


def test_a_rewritten_chain_is_caught_by_a_checkpoint(trail):
    checkpoint = _verify(trail)

    def rewrite(conn: Connection) -> None:
        """Edit seq 3 and recompute every hash after it, and the head: a perfect forgery."""
        with Session(conn) as s:
            rows = list(chain.iter_records(s))
        prev = chain.GENESIS_HASH
        for row in rows:
            fields = chain.record_fields(row) | {"prev_hash": prev}
            if row.seq == 3:
                fields["outcome"] = "failure"
            new = chain.chain_hash(prev, fields)
            conn.execute(
                text(
                    "UPDATE audit_record SET outcome = :o, prev_hash = :p, hash = :h WHERE seq = :s"
                ),
                {"o": fields["outcome"], "p": prev, "h": new, "s": row.seq},
            )
            prev = new
        conn.execute(text("UPDATE audit_chain_head SET hash = :h WHERE id = 1"), {"h": prev})

    _tamper(trail, rewrite)
    assert _verify(trail).ok  # only a checkpoint kept elsewhere can tell
    result = _verify(trail, checkpoint.records, checkpoint.head_hash)
    assert not result.ok and result.first_bad_seq == N


def test_the_restored_guard_refuses_again(trail):
    _tamper(trail, _sql("UPDATE audit_record SET action = 'test.other' WHERE seq = 1"))
    with pytest.raises(DBAPIError, match="append-only"), trail.begin() as conn:
        conn.execute(text("UPDATE audit_record SET action = 'test.again' WHERE seq = 2"))
