"""Records every change of an `Audited` model, and explicit events, into the hash chain.

Changes are collected after each flush from the session's own bookkeeping, and appended to
the chain just before the transaction commits, under the chain-head lock. Nobody has to call
anything for a change to be recorded; a rollback drops the pending records with the change.
"""

import enum
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, Literal

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction

from oversight.audit.chain import chain_hash, rfc3339
from oversight.audit.models import AuditChainHead, AuditRecord
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


class Audited:
    """Marker: every insert, update and delete of this model is recorded.

    `__audit_content__` fields are recorded only as SHA-256 digests; `__audit_secret__` and
    `__audit_ignore__` fields are never recorded at all.
    """

    __audit_resource__: ClassVar[str]
    __audit_content__: ClassVar[frozenset[str]] = frozenset()
    __audit_secret__: ClassVar[frozenset[str]] = frozenset()
    __audit_ignore__: ClassVar[frozenset[str]] = frozenset({"created_at", "updated_at"})

    def audit_action(self, op: str, changes: dict[str, Any]) -> str:
        """The action name of a change; models override it to name lifecycle steps."""
        return f"{self.__audit_resource__}.{op}"


def set_actor(session: Session, actor: Actor) -> None:
    session.info["actor"] = actor


def get_actor(session: Session) -> Actor:
    return session.info.get("actor", SYSTEM)


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
            _jsonable(changes) if changes else None,
            actor=actor,
        )
    )


def digest(value: Any) -> str | None:
    if value is None:
        return None
    data = value if isinstance(value, str) else json.dumps(_jsonable(value), sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def _side(obj: Audited, name: str, value: Any, side: str) -> dict[str, Any]:
    if name in obj.__audit_content__:
        return {f"{side}_sha256": digest(value)}
    return {side: _jsonable(value)}


def _changes(obj: Audited, op: str) -> dict[str, Any]:
    state = inspect(obj)
    skip = obj.__audit_secret__ | obj.__audit_ignore__
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name in skip:
            continue
        if op == "update":
            hist = state.attrs[name].history
            if not hist.has_changes():
                continue
            before = hist.deleted[0] if hist.deleted else None
            after = hist.added[0] if hist.added else None
            if _jsonable(before) == _jsonable(after):
                continue
            out[name] = _side(obj, name, before, "before") | _side(obj, name, after, "after")
        else:
            side = "after" if op == "create" else "before"
            out[name] = _side(obj, name, getattr(obj, name), side)
    return out


def _collect(session: Session, flush_context: UOWTransaction) -> None:
    pending = session.info.setdefault(PENDING, [])
    ops = (("create", session.new), ("update", session.dirty), ("delete", session.deleted))
    for op, objs in ops:
        for obj in objs:
            if not isinstance(obj, Audited):
                continue
            changes = _changes(obj, op)
            if op == "update" and not changes:
                continue
            pending.append(
                AuditEvent(
                    obj.audit_action(op, changes),
                    obj.__audit_resource__,
                    _pk(obj),
                    "success",
                    changes,
                )
            )


def _pk(obj: Audited) -> str | None:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return str(key[0]) if key and key[0] is not None else None


def _append(session: Session) -> None:
    """Append the pending records to the chain, under the chain-head lock."""
    session.flush()  # collect the changes not flushed yet, before the chain is written
    events: list[AuditEvent] = session.info.pop(PENDING, [])
    if not events:
        return
    meta: RequestMeta = session.info.get("request") or RequestMeta()
    default_actor = get_actor(session)
    conn = session.connection()
    head = conn.execute(
        select(AuditChainHead.seq, AuditChainHead.hash)
        .where(AuditChainHead.id == 1)
        .with_for_update()
    ).one()
    seq, prev = head.seq, head.hash
    rows = []
    for ev in events:
        actor = ev.actor or default_actor
        seq += 1
        fields = {
            "seq": seq,
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
            "prev_hash": prev,
        }
        prev = chain_hash(prev, fields)
        rows.append(fields | {"hash": prev})
    conn.execute(insert(AuditRecord.__table__), rows)
    conn.execute(
        update(AuditChainHead.__table__).where(AuditChainHead.id == 1).values(seq=seq, hash=prev)
    )


def _discard(session: Session, *_: Any) -> None:
    session.info.pop(PENDING, None)


def install(session_class: type[Session] = Session) -> None:
    """Attach the recorder to every session of the given class (idempotent)."""
    if not event.contains(session_class, "after_flush", _collect):
        event.listen(session_class, "after_flush", _collect)
        event.listen(session_class, "before_commit", _append)
        event.listen(session_class, "after_soft_rollback", _discard)
