"""Attendance rows keep only an attendee's own name; an agency's name is read live

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 10:00

A meeting's attendance rows (`[{agency_id, name, status}]`, a JSON document) stored the
agency's name, copied when the row was written, so renaming an agency left its old name on
every meeting. From now on a row's `name` is the attendee's own name (a person, an observer
without an agency) and null for an agency, whose name a reader is shown as it is at the time.

Upgrade: a row whose name is its agency's current name was the copy, and loses it. A row whose
name differs is kept as written: it is an attendee's own name, or the name the agency had when
the meeting was recorded (the two cannot be told apart), and the meeting shows it as before.
Downgrade: a row without a name of its own gets its agency's current name, as it was stored
before.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from oversight.db import JSONDoc

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

meeting = sa.table("meeting", sa.column("id", sa.Uuid()), sa.column("attendance", JSONDoc))
agency = sa.table("agency", sa.column("id", sa.Uuid()), sa.column("name", sa.String()))


def _rewrite(change: Any) -> None:
    """Apply `change(row, agency_names)` to every attendance row that names an agency."""
    bind = op.get_bind()
    names = {str(r.id): r.name for r in bind.execute(sa.select(agency.c.id, agency.c.name))}
    meetings = bind.execute(
        sa.select(meeting.c.id, meeting.c.attendance).order_by(meeting.c.id)
    ).all()
    for m in meetings:
        rows = [dict(row) for row in m.attendance or ()]
        changed = [change(row, names.get(str(row.get("agency_id")))) for row in rows]
        if changed != list(m.attendance or ()):
            bind.execute(
                sa.update(meeting).where(meeting.c.id == m.id).values(attendance=changed)
            )


def _own_names_only(row: dict[str, Any], agency_name: str | None) -> dict[str, Any]:
    if agency_name is not None and row.get("name") == agency_name:
        return row | {"name": None}
    return row


def _agency_names_copied(row: dict[str, Any], agency_name: str | None) -> dict[str, Any]:
    if row.get("name") is None and agency_name is not None:
        return row | {"name": agency_name}
    return row


def upgrade() -> None:
    _rewrite(_own_names_only)


def downgrade() -> None:
    _rewrite(_agency_names_copied)
