"""Every query of the audit trail: the filtered list, and export batches."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from oversight.audit import chain
from oversight.audit.models import AuditRecord
from oversight.audit_reads.schemas import AuditFilter
from oversight.db.keyset import Key, PageSlice, equals, keyset

EXACT = ("actor_id", "agency_id", "action", "resource_type", "resource_id")


def listing(
    session: Session, f: AuditFilter, page: PageSlice
) -> tuple[list[AuditRecord], Key | None]:
    """Records newest first, by `seq` (the chain's order; never by time)."""
    r = AuditRecord
    filters = equals(
        *((getattr(r, name), getattr(f, name)) for name in EXACT),
    )
    if f.since is not None:
        filters.append(r.at >= f.since)
    if f.until is not None:
        filters.append(r.at < f.until)
    return keyset(session, select(r).where(*filters), [r.seq], page)


def export_line(row: Any) -> str:
    """One record as a JSON line in the canonical form, `hash` included.

    Dropping `hash` from a line and hashing `prev_hash` ‖ the rest (sorted keys, compact)
    gives the hash back, so an export can be verified away from the service.
    """
    doc = json.loads(chain.canonical_json(chain.record_fields(row)))
    doc["hash"] = row.hash
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def export_lines(session: Session, batch: int = chain.BATCH) -> Iterator[str]:
    """The chain up to its head when the export starts, in seq order, batch by batch."""
    upto, _ = chain.head(session)
    for row in chain.iter_records(session, upto=upto, batch=batch):
        yield export_line(row)


@contextmanager
def read_session(factory: "sessionmaker[Session]") -> Iterator[Session]:
    """A session that only reads: on SQLite it does not take the write lock, so a long
    export or verification never holds up writers."""
    session = factory()
    try:
        session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        yield session
    finally:
        session.rollback()
        session.close()
