"""The progress log of an action: notes, and the status changes they make."""

import uuid

from sqlalchemy.orm import Session

from oversight.access.policy import may_write
from oversight.actions import presenter
from oversight.actions.models import ActionItem, ActionUpdate
from oversight.actions.repository import ActionRepository
from oversight.actions.schemas import ActionUpdateIn, ActionUpdateRead, ActionUpdateResult
from oversight.actions.status import CLOSED, ActionStatus, allowed_from, is_legal, needs_note
from oversight.auth.principal import Principal
from oversight.db import utcnow
from oversight.db.keyset import Key, PageSlice
from oversight.db.versions import require_version
from oversight.errors import Conflict, Forbidden, Unprocessable


def is_creator_editor(principal: Principal, action: ActionItem) -> bool:
    return may_write(principal, ActionItem, action.agency_id)


def is_owner(principal: Principal, action: ActionItem) -> bool:
    return principal.agency_id == action.owner_agency_id


def add_update(
    session: Session,
    principal: Principal,
    action_id: uuid.UUID,
    body: ActionUpdateIn,
    expected_version: int | None,
) -> ActionUpdateResult:
    """Append to the progress log, changing the status when the entry says so."""
    action = ActionRepository(session, principal).get(action_id, for_update=True)
    if not (is_owner(principal, action) or is_creator_editor(principal, action)):
        raise Forbidden(
            "Only the owner agency and editors of the creating agency may post progress "
            "on this action"
        )
    require_version(expected_version, action.version)
    if body.status is not None and body.status != action.status:
        entry = move(principal, action, body.status, body.note)
    else:
        entry = _entry(principal, action, body.note, None, None)
        action.updated_at = utcnow()
    session.add(entry)
    session.flush()
    (shown,) = presenter.updates(session, principal, [entry])
    return ActionUpdateResult(
        **shown.model_dump(), action=presenter.present(session, principal, [action])[0]
    )


def move(
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


def updates(
    session: Session, principal: Principal, action_id: uuid.UUID, page: PageSlice
) -> tuple[list[ActionUpdateRead], Key | None]:
    repo = ActionRepository(session, principal)
    rows, last = repo.updates_page(repo.get(action_id), page)
    return presenter.updates(session, principal, rows), last
