"""Actions as a reader sees them: names beside ids, RAG as of today, links it may follow."""

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from oversight.access import names
from oversight.actions import clock, links
from oversight.actions.models import ActionItem, ActionUpdate
from oversight.actions.schemas import ActionRead, ActionUpdateRead
from oversight.actions.status import ActionStatus, is_overdue, rag
from oversight.auth.principal import Principal
from oversight.representations import store


def _derived(
    session: Session, principal: Principal, items: Sequence[ActionItem]
) -> Callable[[ActionItem], dict[str, object]]:
    """RAG and overdue as of today (UTC), and links to meetings or bulletins the caller
    cannot read shown as null."""
    today = clock.today()
    meetings = links.visible(session, principal, "meeting", (a.meeting_id for a in items))
    bulletins = links.visible(session, principal, "bulletin", (a.bulletin_id for a in items))

    def derived(a: ActionItem) -> dict[str, object]:
        status = ActionStatus(a.status)
        return {
            "meeting_id": a.meeting_id if a.meeting_id in meetings else None,
            "bulletin_id": a.bulletin_id if a.bulletin_id in bulletins else None,
            "rag_status": rag(a.due_date, status, today),
            "overdue": is_overdue(a.due_date, status, today),
        }

    return derived


def present(
    session: Session, principal: Principal, items: Sequence[ActionItem]
) -> list[ActionRead]:
    """Actions as the caller sees them: names beside ids, RAG and overdue as of today (UTC),
    and links to meetings or bulletins it cannot read shown as null."""
    return names.present(session, principal, items, ActionRead, _derived(session, principal, items))


# Lists serve actions from their stored representations (`representations`); what depends
# on the day or on the reader is live.
REPRESENTED = store.register(
    ActionItem,
    "action",
    ActionRead,
    live=("meeting_id", "bulletin_id", "rag_status", "overdue"),
    needs=("meeting_id", "bulletin_id", "due_date", "status", "due_sort"),
    derive=_derived,
    present=present,
)


def updates(
    session: Session, principal: Principal, entries: Sequence[ActionUpdate]
) -> list[ActionUpdateRead]:
    return names.present(session, principal, entries, ActionUpdateRead)
