"""Records every change of an `Audited` model, and explicit events, into the hash chain.

Changes are collected after each flush from the session's own bookkeeping, and handed to
the chain when the outermost transaction commits, in that transaction (`append` says how
each database links them under the chain-head lock). Nobody has to call anything for a
change to be recorded. Each pending record belongs to the (nested) transaction it was made
in: rolling that back drops it with the change. Bulk UPDATE/DELETE statements on audited
tables, which would bypass the session's bookkeeping, are refused.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

from oversight.audit.append import append
from oversight.audit.changes import Audited, changes_of, jsonable, stored_columns
from oversight.db import RequestMeta, utcnow

ActorType = Literal["user", "service", "system", "anonymous"]
PENDING = "audit_pending"


@dataclass(frozen=True, slots=True)
class Actor:
    type: ActorType
    id: str | None = None
    agency_id: str | None = None


SYSTEM = Actor("system", "system")
ANONYMOUS = Actor("anonymous")


@dataclass(slots=True)
class AuditEvent:
    action: str
    resource_type: str | None
    resource_id: str | None
    outcome: str
    changes: dict[str, Any] | None
    at: datetime = field(default_factory=utcnow)
    actor: Actor | None = None
    tx: SessionTransaction | None = field(default=None, repr=False, compare=False)


class AuditBypassError(RuntimeError):
    """A statement would change audited rows without the session seeing (and recording) it."""


def set_actor(session: Session, actor: Actor) -> None:
    session.info["actor"] = actor


def get_actor(session: Session) -> Actor:
    """The principal set for the request; `anonymous` on a request without one, else `system`."""
    actor = session.info.get("actor")
    if actor is not None:
        return actor
    return ANONYMOUS if "request" in session.info else SYSTEM


def _current_tx(session: Session) -> SessionTransaction:
    tx = session.get_nested_transaction() or session.get_transaction()
    return tx if tx is not None else session.begin()


def record(
    session: Session,
    action: str,
    *,
    resource_type: str | None = None,
    resource_id: object | None = None,
    outcome: str = "success",
    changes: dict[str, Any] | None = None,
    actor: Actor | None = None,
) -> None:
    """Queue an event that is not a row change (a login, a denial, a classified read)."""
    session.info.setdefault(PENDING, []).append(
        AuditEvent(
            action,
            resource_type,
            None if resource_id is None else str(resource_id),
            outcome,
            jsonable(changes) if changes else None,
            actor=actor,
            tx=_current_tx(session),
        )
    )


def _load_deleted(session: Session, flush_context: UOWTransaction, _instances: Any) -> None:
    """A deleted row's fields must be read before the row is gone."""
    for obj in session.deleted:
        if isinstance(obj, Audited):
            state = inspect(obj)
            for attr in stored_columns(state.mapper):
                if attr.key in state.unloaded:
                    getattr(obj, attr.key)


def _collect(session: Session, flush_context: UOWTransaction) -> None:
    pending = session.info.setdefault(PENDING, [])
    tx = _current_tx(session)
    ops = (("create", session.new), ("update", session.dirty), ("delete", session.deleted))
    for op, objs in ops:
        for obj in objs:
            if not isinstance(obj, Audited):
                continue
            changes = changes_of(obj, op)
            if op == "update" and not changes:
                continue
            pending.append(
                AuditEvent(
                    obj.audit_action(op, changes),
                    obj.__audit_resource__,
                    _pk(obj),
                    "success",
                    changes,
                    tx=tx,
                )
            )


def _pk(obj: Audited) -> str | None:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return str(key[0]) if key and key[0] is not None else None


def _append(session: Session) -> None:
    """Hand the pending records to the chain (see `append`), before the commit."""
    if session.in_nested_transaction():
        return  # a savepoint released: its records wait for the outermost commit
    # before_commit runs before the commit's own flush: flush now so nothing is missed.
    session.flush()
    events: list[AuditEvent] = session.info.pop(PENDING, [])
    if not events:
        return
    meta: RequestMeta = session.info.get("request") or RequestMeta()
    default_actor = get_actor(session)
    rows = []
    for ev in events:  # everything but seq and prev_hash is known before the chain is locked
        actor = ev.actor or default_actor
        rows.append(
            {
                "at": ev.at,
                "actor_type": actor.type,
                "actor_id": actor.id,
                "agency_id": actor.agency_id,
                "action": ev.action,
                "resource_type": ev.resource_type,
                "resource_id": ev.resource_id,
                "outcome": ev.outcome,
                "changes": ev.changes,
                "ip": meta.ip,
                "user_agent": meta.user_agent,
                "request_id": meta.request_id,
            }
        )
    append(session.connection(), rows)


def _within(tx: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while tx is not None:
        if tx is ended:
            return True
        tx = tx.parent
    return False


def _discard(session: Session, previous_transaction: SessionTransaction) -> None:
    """Drop the records of what was rolled back (a savepoint keeps its parent's records)."""
    pending: list[AuditEvent] | None = session.info.get(PENDING)
    if pending:
        pending[:] = [ev for ev in pending if not _within(ev.tx, previous_transaction)]


def _audited_tables() -> set[Table]:
    from oversight.db import Base

    return {
        m.local_table  # type: ignore[misc]
        for m in Base.registry.mappers
        if issubclass(m.class_, Audited) and isinstance(m.local_table, Table)
    }


def _refuse_bulk(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and table in _audited_tables():
        raise AuditBypassError(
            f"bulk {'UPDATE' if state.is_update else 'DELETE'} on audited table "
            f"{table.name!r} would not be recorded; change the objects through the session"
        )


def install(session_class: type[Session] = Session) -> None:
    """Attach the recorder to every session of the given class (idempotent)."""
    if not event.contains(session_class, "after_flush", _collect):
        event.listen(session_class, "before_flush", _load_deleted)
        event.listen(session_class, "after_flush", _collect)
        event.listen(session_class, "before_commit", _append)
        event.listen(session_class, "after_soft_rollback", _discard)
        event.listen(session_class, "do_orm_execute", _refuse_bulk)
