"""The rules of action items: who creates, edits and moves them, and what a reader is shown.

The creating agency's editors edit and cancel an action; the owner agency's principals may
change its status and post progress (`progress`); anyone else reads it if the classification
allows, and never changes it (403; 404 when they cannot read it at all).
"""

import uuid
from datetime import date

from sqlalchemy.orm import Session

from oversight.access import rules, writing
from oversight.accounts.names import agency_id_of
from oversight.actions import links, presenter
from oversight.actions.models import ActionItem
from oversight.actions.presenter import present
from oversight.actions.progress import is_creator_editor, is_owner, move
from oversight.actions.repository import ActionFilters, ActionRepository
from oversight.actions.schemas import EDITABLE, ActionCreate, ActionPatch, ActionRead
from oversight.actions.status import ActionStatus, Rag
from oversight.auth.principal import Principal
from oversight.db.keyset import Key, PageSlice
from oversight.db.versions import require_version
from oversight.errors import Forbidden, Unprocessable
from oversight.representations import pages

STATUS_FIELDS = frozenset({"status", "note"})


def _check_people(
    repo: ActionRepository, owner_agency_id: uuid.UUID, assignee_id: uuid.UUID | None
) -> None:
    if not repo.agency_exists(owner_agency_id):
        raise Unprocessable.for_field("owner_agency_id", "No agency has this id", "unknown_id")
    if assignee_id is not None and repo.agency_of_user(assignee_id) != owner_agency_id:
        raise Unprocessable.for_field(
            "assignee_user_id", "The assignee must be a user of the owner agency", "unknown_id"
        )


def create(session: Session, principal: Principal, body: ActionCreate) -> ActionRead:
    classification = writing.new_classification(
        principal, ActionItem, body, "Only editors may create action items for their agency"
    )
    repo = ActionRepository(session, principal)
    links.check(session, principal, body.meeting_id, body.bulletin_id)
    _check_people(repo, body.owner_agency_id, body.assignee_user_id)
    action = ActionItem(status=ActionStatus.open, **body.model_dump(include=set(EDITABLE)))
    return present(session, principal, [repo.add(action, classification)])[0]


def get(session: Session, principal: Principal, action_id: uuid.UUID) -> ActionRead:
    return present(session, principal, [ActionRepository(session, principal).get(action_id)])[0]


def patch(
    session: Session,
    principal: Principal,
    action_id: uuid.UUID,
    body: ActionPatch,
    expected_version: int | None,
) -> ActionRead:
    repo = ActionRepository(session, principal)
    action = repo.get(action_id, for_update=True)
    fields = body.model_fields_set
    creator = is_creator_editor(principal, action)
    if not creator and (fields - STATUS_FIELDS or not is_owner(principal, action)):
        raise Forbidden(
            "Only editors of the agency that created this action may edit it; "
            "its owner agency may change its status"
        )
    require_version(expected_version, action.version)
    classification = rules.merged(principal, action, body)
    given = body.model_dump(include=fields & set(EDITABLE))
    if {"meeting_id", "bulletin_id"} & fields:
        links.check(session, principal, given.get("meeting_id"), given.get("bulletin_id"))
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
        session.add(move(principal, action, body.status, body.note))
    session.flush()
    return present(session, principal, [action])[0]


def rag_counts(session: Session, principal: Principal, today: date) -> dict[Rag, int]:
    return ActionRepository(session, principal).rag_counts(today)


def listing(
    session: Session, principal: Principal, f: ActionFilters, page: PageSlice
) -> tuple[list[bytes], Key | None]:
    """A page of actions as the caller sees them; filtering by a meeting or bulletin the
    caller cannot read finds nothing, so the filter cannot tell whether that item exists."""
    f.owner_agency_id = agency_id_of(session, f.owner_agency_id)
    for resource, item_id in (("meeting", f.meeting_id), ("bulletin", f.bulletin_id)):
        if item_id is not None and not links.readable(session, principal, resource, item_id):
            f.nothing = True
    repo = ActionRepository(session, principal)
    rows, last = repo.listing(f, page, pages.loading(repo, presenter.REPRESENTED))
    return pages.items_json(session, principal, presenter.REPRESENTED, rows, repo.items), last


def headlines(
    session: Session, principal: Principal, f: ActionFilters, page: PageSlice
) -> tuple[list[ActionItem], Key | None]:
    """A page of the actions the caller reads with only their title, owner, due date and
    marking loaded (a summary of many: the board update)."""
    return ActionRepository(session, principal).headlines(f, page)


def for_meeting(session: Session, principal: Principal, meeting_id: uuid.UUID) -> list[ActionRead]:
    """The actions of a meeting the caller reads, as it sees them."""
    items = ActionRepository(session, principal).for_meeting(meeting_id)
    return present(session, principal, items)
