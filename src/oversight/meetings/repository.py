"""Every query of meetings and their minutes; meetings only through the classified base."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import aliased

from oversight.access.repository import ClassifiedRepository
from oversight.accounts.models import Agency, User
from oversight.db.keyset import Key, PageSlice, keyset
from oversight.meetings.models import Meeting, MeetingMinutes, MinutesStatus


def _latest_minutes_statement() -> Select[tuple[MeetingMinutes]]:
    older = aliased(MeetingMinutes)
    newest = (
        select(func.max(older.revision))
        .where(older.meeting_id == MeetingMinutes.meeting_id)
        .scalar_subquery()
    )
    return (
        select(MeetingMinutes)
        .where(
            MeetingMinutes.meeting_id.in_(bindparam("meeting_ids", expanding=True)),
            MeetingMinutes.revision >= newest - 1,
        )
        .order_by(MeetingMinutes.meeting_id, MeetingMinutes.revision.desc())
    )


# Built once, its ids bound per page: building the aliased statement for every page of
# meetings took longer than the rest of the page (docs/architecture.md, "The read path at the
# limit").
_LATEST_MINUTES = _latest_minutes_statement()


class MeetingRepository(ClassifiedRepository[Meeting]):
    model = Meeting
    resource = "meeting"

    def listing(
        self,
        page: PageSlice,
        *,
        held_from: datetime | None = None,
        held_to: datetime | None = None,
        agency_id: uuid.UUID | None = None,
        base: Select[Any] | None = None,
    ) -> tuple[list[Any], Key | None]:
        """A page of meetings, latest first, of `base()` or of `base` (the same rows, other
        columns)."""
        filters = []
        if held_from is not None:
            filters.append(Meeting.held_at >= held_from)
        if held_to is not None:
            filters.append(Meeting.held_at < held_to)
        if agency_id is not None:
            filters.append(Meeting.agency_id == agency_id)
        return self.page(page, *filters, keys=[Meeting.held_at, Meeting.id], stmt=base)

    # Minutes: reached only through a meeting this repository has already let the caller see.

    def latest_minutes(
        self, meeting_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[MeetingMinutes]]:
        """The newest two versions of each meeting's minutes, newest first.

        Two suffice: only the newest version can be a draft, so the one before it is the
        latest approved text whenever the newest is a draft.
        """
        if not meeting_ids:
            return {}
        rows = self.session.scalars(_LATEST_MINUTES, {"meeting_ids": list(meeting_ids)})
        out: dict[uuid.UUID, list[MeetingMinutes]] = {}
        for row in rows:
            out.setdefault(row.meeting_id, []).append(row)
        return out

    def current_minutes(self, meeting: Meeting) -> MeetingMinutes | None:
        return self.session.scalars(
            select(MeetingMinutes)
            .where(MeetingMinutes.meeting_id == meeting.id)
            .order_by(MeetingMinutes.revision.desc())
            .limit(1)
        ).first()

    def approved_revisions(
        self, meeting: Meeting, page: PageSlice
    ) -> tuple[list[MeetingMinutes], Key | None]:
        stmt = select(MeetingMinutes).where(
            MeetingMinutes.meeting_id == meeting.id,
            MeetingMinutes.status != MinutesStatus.draft,
        )
        keys = [MeetingMinutes.revision, MeetingMinutes.id]
        return keyset(self.session, stmt, keys, page)

    # Other tables a meeting refers to (not classified).

    def user_exists(self, user_id: uuid.UUID) -> bool:
        return self.session.scalar(select(User.id).where(User.id == user_id)) is not None

    def existing_agencies(self, ids: set[uuid.UUID]) -> set[uuid.UUID]:
        """Those of these ids that name an agency."""
        if not ids:
            return set()
        return set(self.session.scalars(select(Agency.id).where(Agency.id.in_(ids))))
