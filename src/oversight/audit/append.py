"""Appending records to the chain: Python writes each record's canonical JSON in three parts
around `prev_hash` and `seq` (`chain.canonical_parts`); the database links them, under the
chain-head lock, in the transaction of the act they record.

- PostgreSQL: the transaction's records go into `audit_pending` as one row; a deferred
  trigger locks the head (`SELECT … FOR UPDATE`), numbers, hashes and inserts them and moves
  the head when the transaction commits (migration 0006). The lock is held for that and the
  commit's WAL flush only, never across a round trip to a worker.
- SQLite: the session's `BEGIN IMMEDIATE` already holds the database's write lock. One
  `INSERT … SELECT` a record reads the head, hashes with `oversight_chain_hash` (registered
  on each connection) and inserts; a trigger moves the head with every record (migration
  0006).
"""

import hashlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect

from oversight.audit.chain import RECORD_FIELDS, canonical_parts
from oversight.audit.models import AuditRecord

# Every field of a record but seq, prev_hash and hash, in this order.
FIELDS = RECORD_FIELDS
_PENDING = "INSERT INTO audit_pending (a, b, c) VALUES (%s, %s, %s)"
_LINK = (  # built once from the constant FIELDS
    f"INSERT INTO audit_record (seq, prev_hash, hash, {', '.join(FIELDS)}) "  # noqa: S608
    "SELECT seq + 1, hash, oversight_chain_hash(hash, ?, ?, ?, seq + 1), "
    f"{', '.join('?' for _ in FIELDS)} FROM audit_chain_head WHERE id = 1"
)
_REGISTERED = "oversight_chain_hash"


def link_hash(prev_hash: str, a: str, b: str, c: str, seq: int) -> str:
    """hash = SHA-256(prev_hash ‖ canonical JSON), the canonical JSON from its parts."""
    return hashlib.sha256(f'{prev_hash}{a}"{prev_hash}"{b}{seq}{c}'.encode()).hexdigest()


def append(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Hand the records (dicts of `FIELDS`) to the database, in order."""
    if conn.dialect.name == "postgresql":
        parts = [canonical_parts(row) for row in rows]
        conn.exec_driver_sql(_PENDING, tuple(list(p) for p in zip(*parts, strict=True)))
        return
    pooled = conn.connection
    if _REGISTERED not in pooled.info:
        pooled.driver_connection.create_function(  # type: ignore[union-attr]
            _REGISTERED, 5, link_hash, deterministic=True
        )
        pooled.info[_REGISTERED] = True
    at, changes = _binders(conn.dialect)
    params = [
        (
            *canonical_parts(row),
            at(row["at"]),
            *(row[k] for k in FIELDS[1:8]),
            changes(row["changes"]),
            *(row[k] for k in FIELDS[9:]),
        )
        for row in rows
    ]
    cursor = pooled.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(_LINK, params)
    finally:
        cursor.close()


_BINDERS: dict[Dialect, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {}


def _binders(dialect: Dialect) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """How the `at` and `changes` columns store their values on this dialect."""
    found = _BINDERS.get(dialect)
    if found is None:
        procs = []
        for column in (AuditRecord.__table__.c.at, AuditRecord.__table__.c.changes):
            proc = column.type.dialect_impl(dialect).bind_processor(dialect)
            procs.append(proc if proc is not None else _same)
        found = _BINDERS[dialect] = (procs[0], procs[1])
    return found


def _same(value: Any) -> Any:
    return value
