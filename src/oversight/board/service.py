"""The board's cybercrime update for a period (contract §16), from live data, holding only
what the caller may read: every item comes through its domain's service, so through the
classified repositories; the figures come through the disclosure control."""

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from oversight.access.classification import TLP, ProtectiveMarking
from oversight.accounts import names
from oversight.actions import clock
from oversight.actions import service as actions
from oversight.actions.repository import ActionFilters
from oversight.actions.status import Rag
from oversight.auth.principal import Principal
from oversight.bulletins import service as bulletins
from oversight.db.keyset import PageSlice, every
from oversight.meetings import service as meetings
from oversight.meetings.schemas import MeetingFilters
from oversight.reports import statistics

TLP_ORDER = [TLP.clear, TLP.green, TLP.amber, TLP.amber_strict, TLP.red]
PAGE = 1000  # rows per query while walking the period's lists
MARKING_ORDER = [ProtectiveMarking.official, ProtectiveMarking.official_sensitive]


def _marked(item: Any) -> dict[str, str]:
    return {"tlp": str(item.tlp), "protective_marking": str(item.protective_marking)}


def build(session: Session, principal: Principal, start: date, end: date) -> dict[str, Any]:
    start = start.replace(day=1)
    end = statistics.period(None, end)[1] or end
    can = principal.scopes
    until = datetime.combine(end, time.max, tzinfo=UTC)
    # The period's published bulletins and the overdue actions are selected in SQL: nothing
    # outside them is read, presented or recorded as read; the RAG chart is counted in SQL.
    since = datetime.combine(start, time.min, tzinfo=UTC)
    shown_bulletins = (
        [
            {
                "id": str(b.id),
                "title": b.title,
                "category": str(b.category),
                "severity": str(b.severity),
                "published_at": b.published_at.isoformat() if b.published_at else None,
                **_marked(b),
            }
            for b in every(lambda p: bulletins.headlines(session, principal, since, until, p), PAGE)
        ]
        if "bulletins:read" in can
        else []
    )
    today = clock.today()
    reads_actions = "actions:read" in can
    rag = actions.rag_counts(session, principal, today) if reads_actions else {}
    late = (
        list(
            every(
                lambda p: actions.headlines(
                    session, principal, ActionFilters(today=today, overdue=True), p
                ),
                PAGE,
            )
        )
        if reads_actions
        else []
    )
    owners = names.lookup(session, {a.owner_agency_id for a in late}, ())
    overdue = [
        {
            "id": str(a.id),
            "title": a.title,
            "owner": (owners.agency(a.owner_agency_id) or {}).get("name"),
            "due_date": a.due_date.isoformat() if a.due_date else None,
            **_marked(a),
        }
        for a in late
    ]
    held_before_end = MeetingFilters.model_construct(held_to=until)  # by name, not alias
    held = (
        meetings.summaries_page(session, principal, held_before_end, every_page())[0]
        if "meetings:read" in can
        else []
    )
    minuted = next(
        (m for m in held if m.minutes is not None and str(m.minutes.status) == "published"), None
    )
    decisions = (
        {
            "meeting_id": str(minuted.id),
            "title": minuted.title,
            "held_at": minuted.held_at.isoformat(),
            "decisions": list(minuted.minutes.decisions),
            **_marked(minuted),
        }
        if minuted is not None and minuted.minutes is not None
        else None
    )
    items = [*shown_bulletins, *overdue, *([decisions] if decisions else [])]
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "tlp": max((i["tlp"] for i in items), key=TLP_ORDER.index, default=TLP.clear.value),
        "protective_marking": max(
            (i["protective_marking"] for i in items),
            key=MARKING_ORDER.index,
            default=ProtectiveMarking.official.value,
        ),
        "threat_picture": {
            "summary": _jsonable(statistics.summary(session, start, end)),
            "by_month": _jsonable(statistics.reports(session, "month", start, end)),
        },
        "bulletins": shown_bulletins,
        "actions": {
            "rag": {k.value: rag.get(k, 0) for k in (Rag.red, Rag.amber, Rag.green)},
            "overdue": overdue,
        },
        "minutes": decisions,
    }


def every_page() -> PageSlice:
    """The latest 50 meetings up to the period's end: the latest minutes are among them."""
    return PageSlice(50)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
