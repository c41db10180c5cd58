"""Every query of action items (through the classified base) and of their progress log."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, false, func, not_, or_, select

from oversight.access.repository import ClassifiedRepository
from oversight.accounts.models import Agency, User
from oversight.actions.models import ActionItem, ActionUpdate
from oversight.actions.status import AMBER_WINDOW_DAYS, CLOSED, ActionStatus, Rag
from oversight.db.keyset import Key, PageSlice, equals, keyset

CLOSED_VALUES = [s.value for s in CLOSED]


def overdue_clause(today: date) -> Any:
    return and_(
        ActionItem.due_date.is_not(None),
        ActionItem.due_date < today,
        ActionItem.status.not_in(CLOSED_VALUES),
    )


def rag_clause(status: Rag, today: date) -> Any:
    """SQL true for the open actions whose RAG status (`status.rag`) is `status`."""
    if status == Rag.red:
        return overdue_clause(today)
    still_open = ActionItem.status.not_in(CLOSED_VALUES)
    soon = today + timedelta(days=AMBER_WINDOW_DAYS)
    if status == Rag.amber:
        return and_(still_open, ActionItem.due_date >= today, ActionItem.due_date <= soon)
    return and_(still_open, or_(ActionItem.due_date.is_(None), ActionItem.due_date > soon))


@dataclass(slots=True)
class ActionFilters:
    today: date
    status: ActionStatus | None = None
    owner_agency_id: uuid.UUID | str | None = None
    assignee_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None
    bulletin_id: uuid.UUID | None = None
    overdue: bool | None = None
    due_before: date | None = None
    rag: Rag | None = None
    by_due_date: bool = False
    # Set when a filter names an item the caller cannot read: the list is then empty.
    nothing: bool = False


class ActionRepository(ClassifiedRepository[ActionItem]):
    model = ActionItem
    resource = "action"

    def _filtered(self, f: ActionFilters) -> list[Any]:
        a = ActionItem
        filters = equals(
            (a.status, f.status),
            (a.owner_agency_id, f.owner_agency_id),
            (a.assignee_user_id, f.assignee_id),
            (a.meeting_id, f.meeting_id),
            (a.bulletin_id, f.bulletin_id),
        )
        if f.overdue is not None:
            clause = overdue_clause(f.today)
            filters.append(clause if f.overdue else not_(clause))
        if f.due_before is not None:
            filters.append(ActionItem.due_date < f.due_before)
        if f.rag is not None:
            filters.append(rag_clause(f.rag, f.today))
        if f.nothing:
            filters.append(false())
        return filters

    def listing(
        self, f: ActionFilters, page: PageSlice, base: Select[Any] | None = None
    ) -> tuple[list[Any], Key | None]:
        """A page of `f`'s actions of `base()` or of `base` (the same rows, other columns)."""
        a = ActionItem
        keys = [a.due_sort, a.id] if f.by_due_date else None
        return self.page(page, *self._filtered(f), keys=keys, stmt=base, descending=not keys)

    def headlines(self, f: ActionFilters, page: PageSlice) -> tuple[list[ActionItem], Key | None]:
        """A page of `f`'s actions, newest first, loading only what a summary shows."""
        a = ActionItem
        stmt = self.slim(a.title, a.owner_agency_id, a.due_date)
        return self.page(page, *self._filtered(f), stmt=stmt)

    def rag_counts(self, today: date) -> dict[Rag, int]:
        """How many of the open actions the principal reads are of each RAG status: counted
        in SQL, so no item is read (nor recorded as read)."""
        return {
            rag: self.session.scalar(
                select(func.count()).select_from(
                    self.base().where(rag_clause(rag, today)).subquery()
                )
            )
            or 0
            for rag in Rag
        }

    def for_meeting(self, meeting_id: uuid.UUID) -> list[ActionItem]:
        stmt = (
            self.base()
            .where(ActionItem.meeting_id == meeting_id)
            .order_by(ActionItem.created_at, ActionItem.id)
        )
        items = list(self.session.scalars(stmt))
        self.record_reads(items)
        return items

    # The progress log: reached only through an action this repository let the caller see.

    def updates_page(
        self, action: ActionItem, page: PageSlice
    ) -> tuple[list[ActionUpdate], Key | None]:
        stmt = select(ActionUpdate).where(ActionUpdate.action_id == action.id)
        return keyset(self.session, stmt, [ActionUpdate.created_at, ActionUpdate.id], page)

    # Other tables an action refers to (not classified).

    def agency_exists(self, agency_id: uuid.UUID) -> bool:
        return self.session.scalar(select(Agency.id).where(Agency.id == agency_id)) is not None

    def agency_of_user(self, user_id: uuid.UUID) -> uuid.UUID | None:
        return self.session.scalar(select(User.agency_id).where(User.id == user_id))
