"""The life of an action item: its statuses, the legal transitions, and RAG.

Leaving a closed status (reopening `done`, reinstating `cancelled`) needs a note; cancelling
and reinstating are for the creating agency's editors (see `service.py`).
"""

from datetime import date
from enum import StrEnum

AMBER_WINDOW_DAYS = 7


class ActionStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    blocked = "blocked"
    done = "done"
    cancelled = "cancelled"


class Priority(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class Rag(StrEnum):
    red = "red"
    amber = "amber"
    green = "green"


S = ActionStatus
CLOSED = frozenset({S.done, S.cancelled})

TRANSITIONS: dict[ActionStatus, tuple[ActionStatus, ...]] = {
    S.open: (S.in_progress, S.blocked, S.done, S.cancelled),
    S.in_progress: (S.open, S.blocked, S.done, S.cancelled),
    S.blocked: (S.open, S.in_progress, S.cancelled),
    S.done: (S.open, S.in_progress),
    S.cancelled: (S.open,),
}


def allowed_from(status: ActionStatus) -> tuple[ActionStatus, ...]:
    return TRANSITIONS[status]


def is_legal(current: ActionStatus, target: ActionStatus) -> bool:
    return target in TRANSITIONS[current]


def needs_note(current: ActionStatus, target: ActionStatus) -> bool:
    """Leaving a closed status (reopening done, reinstating cancelled) must be explained."""
    return current in CLOSED and target not in CLOSED


def is_overdue(due: date | None, status: ActionStatus, today: date) -> bool:
    return due is not None and status not in CLOSED and due < today


def rag(due: date | None, status: ActionStatus, today: date) -> Rag | None:
    """red when overdue, amber when due within 7 days, else green; closed items have none."""
    if status in CLOSED:
        return None
    if due is None:
        return Rag.green
    if due < today:
        return Rag.red
    if (due - today).days <= AMBER_WINDOW_DAYS:
        return Rag.amber
    return Rag.green
