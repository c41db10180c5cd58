"""The hash chain: canonical form of a record, its hash, and streaming verification.

Canonical JSON: the record's fields except `hash`, keys sorted, no whitespace, UTF-8 (not
ASCII-escaped), timestamps RFC 3339 in UTC with microseconds and a `Z`, integral numbers
without a fraction. hash = hex(SHA-256(prev_hash as ASCII ‖ canonical JSON)).
The first record's prev_hash is 64 zeros; `seq` runs 1, 2, 3, … without gaps.
"""

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oversight.audit.models import GENESIS_HASH, AuditChainHead, AuditRecord

# What a record says, in the order an append writes it (all but its place in the chain).
RECORD_FIELDS = (
    *("at", "actor_type", "actor_id", "agency_id", "action", "resource_type", "resource_id"),
    *("outcome", "changes", "ip", "user_agent", "request_id"),
)
HASHED_FIELDS = ("seq", *RECORD_FIELDS, "prev_hash")
BATCH = 2000
CHECKPOINT_MISMATCH = "the record differs from the checkpoint"


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _numbers(value: Any) -> Any:
    # Databases may hand back 2.0 as 2 (PostgreSQL's jsonb normalises numbers).
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return value


_dumps = functools.partial(json.dumps, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

# The hashed fields in canonical (sorted) order, cut at `prev_hash` and `seq`: the fields of
# each run, dumped as one object, are that run of the canonical JSON.
_SORTED = sorted(HASHED_FIELDS)
_BEFORE_PREV = _SORTED[: _SORTED.index("prev_hash")]
_BEFORE_SEQ = _SORTED[_SORTED.index("prev_hash") + 1 : _SORTED.index("seq")]
_AFTER_SEQ = _SORTED[_SORTED.index("seq") + 1 :]


def _canonical_values(fields: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    doc = {k: fields[k] for k in names}
    if isinstance(doc.get("at"), datetime):
        doc["at"] = rfc3339(doc["at"])
    if doc.get("changes") is not None:
        doc["changes"] = _numbers(doc["changes"])
    return doc


def canonical_json(fields: dict[str, Any]) -> bytes:
    return _dumps(_canonical_values(fields, HASHED_FIELDS)).encode()


def _run(fields: dict[str, Any], names: Iterable[str]) -> str:
    """The canonical JSON of these fields, without its braces (empty for no field)."""
    return _dumps(_canonical_values(fields, names))[1:-1]


def canonical_parts(fields: dict[str, Any]) -> tuple[str, str, str]:
    """The canonical JSON of a record still without `prev_hash` and `seq`, as three parts:
    canonical = a + '"' + prev_hash + '"' + b + str(seq) + c. PostgreSQL links records
    with these when their transaction commits, under the chain-head lock."""
    before_prev, before_seq, after_seq = (
        _run(fields, names) for names in (_BEFORE_PREV, _BEFORE_SEQ, _AFTER_SEQ)
    )
    a = "{" + (before_prev + "," if before_prev else "") + '"prev_hash":'
    b = "," + (before_seq + "," if before_seq else "") + '"seq":'
    c = ("," + after_seq if after_seq else "") + "}"
    return a, b, c


def chain_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(fields)).hexdigest()


def record_fields(record: Any) -> dict[str, Any]:
    return {k: getattr(record, k) for k in HASHED_FIELDS}


COLUMNS = [getattr(AuditRecord, k) for k in (*HASHED_FIELDS, "hash")]


@dataclass(slots=True)
class Verification:
    """`records` and `head_hash`: how far the chain holds (all of it when `ok`)."""

    ok: bool
    records: int
    head_hash: str
    first_bad_seq: int | None
    reason: str | None = None

    @property
    def checkpoint_mismatch(self) -> bool:
        """Intact up to the checkpoint's record, whose hash is not the one kept: the
        checkpoint is wrong, or the trail was rewritten and re-hashed since it was taken."""
        return self.reason == CHECKPOINT_MISMATCH


def iter_records(
    session: Session, after: int = 0, upto: int | None = None, batch: int = BATCH
) -> Iterator[Any]:
    """Records (as plain rows) with `after < seq <= upto` in seq order, in keyset batches."""
    last = after
    while True:
        stmt = select(*COLUMNS).where(AuditRecord.seq > last)
        if upto is not None:
            stmt = stmt.where(AuditRecord.seq <= upto)
        rows = session.execute(stmt.order_by(AuditRecord.seq).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def head(session: Session) -> tuple[int, str]:
    row = session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == 1)
    ).one()
    return row.seq, row.hash


def verify(
    session: Session,
    expected_seq: int | None = None,
    expected_head: str | None = None,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> Verification:
    """Recompute the chain in batches; name the first record that does not fit.

    The chain head (moved in the same transaction as every append) says how long the chain
    must be; a checkpoint (`expected_seq`, optionally `expected_head`) kept from an earlier
    run also catches a tail cut off together with the head. Records appended while this
    runs are verified too.
    """
    prev, count = GENESIS_HASH, 0

    def broken(seq: int, reason: str) -> Verification:
        return Verification(False, count, prev, seq, reason)

    while True:
        for rec in iter_records(session, after=count, batch=batch):
            if rec.seq != count + 1:
                return broken(count + 1, "a record is missing")
            if rec.prev_hash != prev:
                return broken(rec.seq, "prev_hash does not link to the previous record")
            if chain_hash(prev, record_fields(rec)) != rec.hash:
                return broken(rec.seq, "hash does not match the record's content")
            if rec.seq == expected_seq and expected_head is not None and rec.hash != expected_head:
                return broken(rec.seq, CHECKPOINT_MISMATCH)
            count, prev = rec.seq, rec.hash
            if progress is not None and count % batch == 0:
                progress(count)
        head_seq, head_hash = head(session)
        if head_seq < count:
            return broken(head_seq + 1, "records lie beyond the chain head")
        if head_seq == count:
            if head_hash != prev:
                return broken(count, "the chain head does not match the last record")
            break
        # The head is ahead: either appends committed meanwhile, or the tail is gone.
        more = session.execute(select(AuditRecord.seq).where(AuditRecord.seq > count).limit(1))
        if more.first() is None:
            return broken(count + 1, "records up to the chain head are gone")
    if expected_seq is not None and expected_seq > count:
        return broken(count + 1, "records up to the checkpoint are gone")
    if progress is not None:
        progress(count)
    return Verification(True, count, prev, None)
