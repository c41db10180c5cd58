"""Writes the outbox: an event for every change partners hear of, in the change's transaction.

Like the audit recorder, it listens to the session, so no domain code emits events: after
each flush, every new or changed row of an announced model becomes a `change_event` row
inserted on the same connection, in the same (nested) transaction, so the event commits or
rolls back with the change. The event names the item, never its content; the feed and the
webhooks decide at read time who may hear of it.
"""

import uuid
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session, UOWTransaction

from oversight.audit.changes import Audited, changes_of
from oversight.changes.models import ChangeEvent
from oversight.db import Base, utcnow

# What each audited action is announced as (contract §14), by the resource it concerns.
EVENT_TYPES: dict[str, str] = {
    "bulletin.create": "bulletin.created",
    "bulletin.update": "bulletin.updated",
    "bulletin.reclassify": "bulletin.updated",
    "bulletin.publish": "bulletin.published",
    "bulletin.withdraw": "bulletin.withdrawn",
    "meeting.create": "meeting.created",
    "meeting.update": "meeting.updated",
    "meeting.reclassify": "meeting.updated",
    "meeting.attendance_change": "meeting.updated",
    "minutes.create": "meeting.minutes_drafted",
    "minutes.update": "meeting.minutes_updated",
    "minutes.approve": "meeting.minutes_approved",
    "minutes.publish": "meeting.minutes_published",
    "minutes.reopen": "meeting.minutes_reopened",
    "action.create": "action.created",
    "action.update": "action.updated",
    "action.reclassify": "action.updated",
    "action.status_change": "action.status_changed",
    "report.create": "report.submitted",
    "report.update": "report.updated",
    "report.reclassify": "report.updated",
    "report.withdraw": "report.withdrawn",
    "report.promote": "report.promoted",
}
# The resources announced, and the resource each is announced as (minutes: their meeting).
ANNOUNCED = {
    "bulletin": "bulletin",
    "meeting": "meeting",
    "minutes": "meeting",
    "action": "action",
    "report": "report",
}
RESOURCE_TYPES = ("bulletin", "meeting", "action", "report")


def _event(session: Session, obj: Audited, op: str) -> dict[str, Any] | None:
    changes = changes_of(obj, op)
    if op == "update" and not changes:
        return None
    kind = EVENT_TYPES.get(obj.audit_action(op, changes))
    if kind is None:
        return None
    resource = ANNOUNCED[obj.__audit_resource__]
    if resource == obj.__audit_resource__:
        item_id, version = obj.id, obj.version  # type: ignore[attr-defined]
    else:  # minutes: the meeting they belong to, at its current version
        meeting = Base.metadata.tables["meeting"]
        item_id = obj.meeting_id  # type: ignore[attr-defined]
        version = session.connection().scalar(
            select(meeting.c.version).where(meeting.c.id == item_id)
        )
    return {
        "type": kind,
        "resource_type": resource,
        "resource_id": item_id,
        "version": version or 1,
        "at": utcnow(),
        "id": uuid.uuid4(),
    }


def _write(session: Session, flush_context: UOWTransaction) -> None:
    rows = []
    for op, objs in (("create", session.new), ("update", session.dirty)):
        for obj in objs:
            if isinstance(obj, Audited) and obj.__audit_resource__ in ANNOUNCED:
                row = _event(session, obj, op)
                if row is not None:
                    rows.append(row)
    if rows:
        session.connection().execute(insert(ChangeEvent.__table__), rows)


def install(session_class: type[Session] = Session) -> None:
    """Attach the outbox to every session of the given class (idempotent)."""
    if not event.contains(session_class, "after_flush", _write):
        event.listen(session_class, "after_flush", _write)
