"""Who an item may be sent to: recipients that exist and can read what they are sent."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oversight.accounts.models import Agency, AgencyStatus, User
from oversight.errors import Unprocessable


def check(
    session: Session,
    agencies: Sequence[uuid.UUID],
    users: Sequence[uuid.UUID],
    *,
    kept: tuple[set[str], set[str]] = (set(), set()),
) -> None:
    """Recipients must exist (422 otherwise), and those newly named must be able to read: an
    active agency, an active person of an active agency; one named before it was suspended
    (in `kept`) stays named. Says which ids fail."""
    errors = []
    checks = (
        ("recipient_agencies", set(agencies), kept[0], _agencies),
        ("recipient_users", set(users), kept[1], _people),
    )
    for field, ids, already, status_of in checks:
        if not ids:
            continue
        found = status_of(session, ids)
        missing = sorted(str(i) for i in ids - set(found))
        inactive = sorted(str(i) for i, ok in found.items() if not ok and str(i) not in already)
        if missing:
            errors.append(_issue(field, f"Unknown ids: {', '.join(missing)}", "unknown_id"))
        if inactive:
            msg = f"Suspended or disabled, so they could not read it: {', '.join(inactive)}"
            errors.append(_issue(field, msg, "inactive_recipient"))
    if errors:
        raise Unprocessable(
            "The request is invalid: "
            + ", ".join(f"body.{e['loc'][1]} ({e['msg']})" for e in errors),
            extra={"errors": errors},
        )


def _agencies(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, bool]:
    rows = session.execute(select(Agency.id, Agency.status).where(Agency.id.in_(ids)))
    return {r.id: r.status == AgencyStatus.active for r in rows}


def _people(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, bool]:
    rows = session.execute(
        select(User.id, User.is_active, Agency.status)
        .join(Agency, Agency.id == User.agency_id)
        .where(User.id.in_(ids))
    )
    return {r.id: r.is_active and r.status == AgencyStatus.active for r in rows}


def _issue(field: str, msg: str, kind: str) -> dict[str, Any]:
    return {"loc": ["body", field], "msg": msg, "type": kind}
