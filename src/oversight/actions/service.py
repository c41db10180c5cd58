"""The rules of action items: who creates, edits and moves them, and what a reader is shown.

The creating agency's editors edit and cancel an action; the owner agency's principals may
change its status and post progress; anyone else reads it if the classification allows, and
never changes it (403; 404 when they cannot read it at all).
"""

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from oversight.access import rules
from oversight.access.policy import may_write
from oversight.actions import clock
from oversight.actions.models import ActionItem, ActionUpdate
from oversight.actions.repository import ActionFilters, ActionRepository
from oversight.actions.schemas import ActionCreate, ActionPatch, ActionRead, ActionUpdateIn
from oversight.actions.status import (
    CLOSED,
    ActionStatus,
    allowed_from,
    is_legal,
    is_overdue,
    needs_note,
    rag,
)
from oversight.auth.principal import Principal
from oversight.bulletins.repository import BulletinRepository
from oversight.concurrency import check_if_match
from oversight.db import utcnow
from oversight.errors import Conflict, Forbidden, Unprocessable
from oversight.meetings.repository import MeetingRepository
from oversight.pagination import PageParams

EDITABLE = (
    "title",
    "description",
    "meeting_id",
    "bulletin_id",
    "owner_agency_id",
    "assignee_user_id",
    "due_date",
    "priority",
)
STATUS_FIELDS = frozenset({"status", "note"})


def is_creator_editor(principal: Principal, action: ActionItem) -> bool:
    return may_write(principal, ActionItem, action.agency_id)


def is_owner(principal: Principal, action: ActionItem) -> bool:
    return principal.agency_id == action.owner_agency_id


def _check_links(
    session: Session,
    principal: Principal,
    meeting_id: uuid.UUID | None,
    bulletin_id: uuid.UUID | None,
) -> None:
    """Links only to items the caller reads; the answer never says whether others exist."""
    if meeting_id is not None and not MeetingRepository(session, principal).exists(meeting_id):
        raise Unprocessable.for_field(
            "meeting_id", "No meeting you can read has this id", "unknown_link"
        )
    if bulletin_id is not None and not BulletinRepository(session, principal).exists(bulletin_id):
        raise Unprocessable.for_field(
            "bulletin_id", "No bulletin you can read has this id", "unknown_link"
        )


def _check_people(
    repo: ActionRepository, owner_agency_id: uuid.UUID, assignee_id: uuid.UUID | None
) -> None:
    if not repo.agency_exists(owner_agency_id):
        raise Unprocessable.for_field("owner_agency_id", "No agency has this id", "unknown_id")
    if assignee_id is not None and repo.agency_of_user(assignee_id) != owner_agency_id:
        raise Unprocessable.for_field(
            "assignee_user_id", "The assignee must be a user of the owner agency", "unknown_id"
        )


def create(session: Session, principal: Principal, body: ActionCreate) -> ActionItem:
    if not may_write(principal, ActionItem, principal.agency_id):
        raise Forbidden("Only editors may create action items for their agency")
    classification = rules.of_new(principal, body)
    repo = ActionRepository(session, principal)
    _check_links(session, principal, body.meeting_id, body.bulletin_id)
    _check_people(repo, body.owner_agency_id, body.assignee_user_id)
    action = ActionItem(
        agency_id=principal.agency_id,
        author_id=principal.id,
        status=ActionStatus.open,
        **body.model_dump(include=set(EDITABLE)),
    )
    session.add(action)
    repo.classify(action, **classification.as_kwargs())
    return action


def patch(
    session: Session,
    principal: Principal,
    action_id: uuid.UUID,
    body: ActionPatch,
    if_match: str | None,
) -> ActionItem:
    repo = ActionRepository(session, principal)
    action = repo.get(action_id, for_update=True)
    fields = body.model_fields_set
    creator = is_creator_editor(principal, action)
    if not creator and (fields - STATUS_FIELDS or not is_owner(principal, action)):
        raise Forbidden(
            "Only editors of the agency that created this action may edit it; "
            "its owner agency may change its status"
        )
    check_if_match(if_match, action.version)
    classification = rules.merged(principal, action, body)
    given = body.model_dump(include=fields & set(EDITABLE))
    if {"meeting_id", "bulletin_id"} & fields:
        _check_links(session, principal, given.get("meeting_id"), given.get("bulletin_id"))
    if {"owner_agency_id", "assignee_user_id"} & fields:
        _check_people(
            repo,
            given.get("owner_agency_id", action.owner_agency_id),
            given.get("assignee_user_id", action.assignee_user_id),
        )
    for name, value in given.items():
        setattr(action, name, value)
    if classification is not None:
        repo.classify(action, **classification.as_kwargs())
    if body.status is not None and body.status != action.status:
        session.add(_move(principal, action, body.status, body.note))
    session.flush()
    return action


def add_update(
    session: Session,
    principal: Principal,
    action_id: uuid.UUID,
    body: ActionUpdateIn,
    if_match: str | None,
) -> tuple[ActionUpdate, ActionItem]:
    """Append to the progress log, changing the status when the entry says so."""
    action = ActionRepository(session, principal).get(action_id, for_update=True)
    if not (is_owner(principal, action) or is_creator_editor(principal, action)):
        raise Forbidden(
            "Only the owner agency and editors of the creating agency may post progress "
            "on this action"
        )
    check_if_match(if_match, action.version)
    if body.status is not None and body.status != action.status:
        entry = _move(principal, action, body.status, body.note)
    else:
        entry = _entry(principal, action, body.note, None, None)
        action.updated_at = utcnow()
    session.add(entry)
    session.flush()
    return entry, action


def _move(
    principal: Principal, action: ActionItem, target: ActionStatus, note: str | None
) -> ActionUpdate:
    current = ActionStatus(action.status)
    if not is_legal(current, target):
        allowed = ", ".join(allowed_from(current))
        raise Conflict(
            f"An action that is {current} cannot become {target}; it can become: {allowed}",
            extra={"allowed": list(allowed_from(current))},
        )
    if ActionStatus.cancelled in (current, target) and not is_creator_editor(principal, action):
        raise Forbidden("Only editors of the agency that created this action may cancel it")
    if needs_note(current, target) and not note:
        raise Unprocessable.for_field(
            "note", f"Reopening a {current} action needs a note saying why"
        )
    action.status = target
    action.closed_at = utcnow() if target in CLOSED else None
    return _entry(principal, action, note, current, target)


def _entry(
    principal: Principal,
    action: ActionItem,
    note: str | None,
    before: ActionStatus | None,
    after: ActionStatus | None,
) -> ActionUpdate:
    return ActionUpdate(
        action_id=action.id,
        author_id=principal.id,
        author_kind=principal.kind,
        author_agency_id=principal.agency_id,
        note=note,
        from_status=before,
        to_status=after,
    )


def listing(
    session: Session, principal: Principal, params: PageParams, f: ActionFilters
) -> list[ActionItem]:
    """A page of actions; filtering by a meeting or bulletin the caller cannot read finds
    nothing, so the filter cannot tell whether that item exists."""
    if f.meeting_id is not None and not MeetingRepository(session, principal).exists(f.meeting_id):
        f.nothing = True
    if f.bulletin_id is not None and not BulletinRepository(session, principal).exists(
        f.bulletin_id
    ):
        f.nothing = True
    return ActionRepository(session, principal).list_page(params, f)


def present(
    session: Session, principal: Principal, items: Sequence[ActionItem]
) -> list[ActionRead]:
    """Actions as the caller sees them: RAG and overdue as of today (UTC), and links to
    meetings or bulletins it cannot read shown as null."""
    today = clock.today()
    meetings = MeetingRepository(session, principal).visible_ids(a.meeting_id for a in items)
    bulletins = BulletinRepository(session, principal).visible_ids(a.bulletin_id for a in items)
    return [
        ActionRead(
            id=a.id,
            agency_id=a.agency_id,
            author_id=a.author_id,
            title=a.title,
            description=a.description,
            meeting_id=a.meeting_id if a.meeting_id in meetings else None,
            bulletin_id=a.bulletin_id if a.bulletin_id in bulletins else None,
            owner_agency_id=a.owner_agency_id,
            assignee_user_id=a.assignee_user_id,
            due_date=a.due_date,
            priority=a.priority,
            status=a.status,
            rag_status=rag(a.due_date, ActionStatus(a.status), today),
            overdue=is_overdue(a.due_date, ActionStatus(a.status), today),
            tlp=a.tlp,
            recipient_agencies=a.recipient_agencies,
            recipient_users=a.recipient_users,
            protective_marking=a.protective_marking,
            version=a.version,
            created_at=a.created_at,
            updated_at=a.updated_at,
            closed_at=a.closed_at,
        )
        for a in items
    ]
