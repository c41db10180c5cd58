"""The hash chain: canonical form of a record, its hash, and streaming verification.

Canonical JSON: the record's fields except `hash`, keys sorted, no whitespace, UTF-8 (not
ASCII-escaped), timestamps RFC 3339 in UTC with microseconds and a `Z`.
hash = hex(SHA-256(prev_hash as ASCII ‖ canonical JSON)).
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oversight.audit.models import GENESIS_HASH, AuditChainHead, AuditRecord

HASHED_FIELDS = (
    "seq",
    "at",
    "actor_type",
    "actor_id",
    "agency_id",
    "action",
    "resource_type",
    "resource_id",
    "outcome",
    "changes",
    "ip",
    "user_agent",
    "request_id",
    "prev_hash",
)
BATCH = 2000


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(fields: dict[str, Any]) -> bytes:
    doc = {k: fields[k] for k in HASHED_FIELDS}
    if isinstance(doc["at"], datetime):
        doc["at"] = rfc3339(doc["at"])
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(fields)).hexdigest()


def record_fields(record: Any) -> dict[str, Any]:
    return {k: getattr(record, k) for k in HASHED_FIELDS}


COLUMNS = [getattr(AuditRecord, k) for k in (*HASHED_FIELDS, "hash")]


@dataclass(slots=True)
class Verification:
    ok: bool
    records: int
    head_hash: str
    first_bad_seq: int | None
    reason: str | None = None


def iter_records(session: Session, batch: int = BATCH) -> Iterator[Any]:
    """All records (as plain rows) in seq order, in keyset batches so memory stays flat."""
    last = 0
    while True:
        rows = session.execute(
            select(*COLUMNS).where(AuditRecord.seq > last).order_by(AuditRecord.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify(
    session: Session, expected_seq: int | None = None, expected_head: str | None = None
) -> Verification:
    """Recompute the chain; name the first record that does not fit."""
    prev = GENESIS_HASH
    count = 0
    checkpoint_seen = expected_seq is None
    for rec in iter_records(session):
        count += 1
        if rec.seq != count:
            return Verification(False, count - 1, prev, count, "a record is missing")
        if rec.prev_hash != prev:
            return Verification(False, count - 1, prev, rec.seq, "prev_hash does not link")
        if chain_hash(prev, record_fields(rec)) != rec.hash:
            return Verification(False, count - 1, prev, rec.seq, "hash does not match content")
        prev = rec.hash
        if expected_seq is not None and rec.seq == expected_seq:
            checkpoint_seen = True
            if expected_head is not None and rec.hash != expected_head:
                return Verification(False, count - 1, prev, rec.seq, "checkpoint hash differs")
    if not checkpoint_seen:
        return Verification(False, count, prev, count + 1, "records after the checkpoint are gone")
    head = session.get(AuditChainHead, 1)
    if head is not None and (head.seq != count or head.hash != prev):
        return Verification(False, count, prev, count + 1, "the chain head is ahead of the records")
    return Verification(True, count, prev, None)
