"""The rules of bulletins: drafts, publication, edits as revisions, withdrawal, receipt."""

import uuid
from typing import Any

from sqlalchemy.orm import Session

from oversight.access import rules
from oversight.access.classification import TLP
from oversight.access.policy import may_write
from oversight.auth.principal import Principal
from oversight.bulletins.models import (
    Bulletin,
    BulletinAcknowledgement,
    BulletinRevision,
    BulletinStatus,
)
from oversight.bulletins.repository import BulletinRepository
from oversight.bulletins.schemas import BulletinCreate, BulletinUpdate
from oversight.concurrency import check_if_match
from oversight.db import utcnow
from oversight.errors import Conflict, Forbidden

CONTENT = (
    "title",
    "summary",
    "body",
    "category",
    "severity",
    "sectors",
    "indicators",
    "recommended_actions",
    "references",
    "review_by",
)
CLASSIFICATION = ("tlp", "recipient_agencies", "recipient_users", "protective_marking")


def create(session: Session, principal: Principal, data: BulletinCreate) -> Bulletin:
    if not may_write(principal, Bulletin, principal.agency_id):
        raise Forbidden("Only editors may write bulletins")
    classification = rules.check(
        principal,
        rules.Classification(
            TLP(data.tlp),
            list(data.recipient_agencies),
            list(data.recipient_users),
            str(data.protective_marking),
        ),
    )
    repo = BulletinRepository(session, principal)
    content = data.model_dump(mode="json", include=set(CONTENT))
    content["review_by"] = data.review_by
    bulletin = Bulletin(
        agency_id=principal.agency_id,
        author_id=principal.id,
        status=BulletinStatus.draft.value,
        **content,
    )
    session.add(bulletin)
    repo.classify(bulletin, **classification.as_kwargs())
    return bulletin


def writable(
    session: Session, principal: Principal, bulletin_id: uuid.UUID
) -> tuple[BulletinRepository, Bulletin]:
    """The bulletin, locked, if the caller reads it (404) and edits for its agency (403)."""
    repo = BulletinRepository(session, principal)
    bulletin = repo.get(bulletin_id, for_update=True)
    if not may_write(principal, Bulletin, bulletin.agency_id):
        raise Forbidden("Only editors of the agency that owns this bulletin may change it")
    return repo, bulletin


def update(
    session: Session,
    principal: Principal,
    bulletin_id: uuid.UUID,
    data: BulletinUpdate,
    if_match: str | None,
) -> Bulletin:
    repo, bulletin = writable(session, principal, bulletin_id)
    check_if_match(if_match, bulletin.version)
    if bulletin.status == BulletinStatus.withdrawn:
        raise Conflict("A withdrawn bulletin cannot be edited")
    given = data.model_fields_set
    new = data.model_dump(mode="json", include=given & set(CONTENT))
    if "review_by" in given:
        new["review_by"] = data.review_by
    changed = [k for k, v in new.items() if getattr(bulletin, k) != v]
    for name in changed:
        setattr(bulletin, name, new[name])

    classification = rules.merged(principal, bulletin, data)
    if classification is not None:
        now = classification.as_kwargs()
        changed += [
            f for f in CLASSIFICATION if _as_compared(now[f]) != _as_compared(getattr(bulletin, f))
        ]
        repo.classify(bulletin, **now)
    session.flush()
    if changed and bulletin.status == BulletinStatus.published:
        _add_revision(session, repo, bulletin, principal, changed)
    return bulletin


def _as_compared(value: Any) -> Any:
    if isinstance(value, list):
        return {str(v) for v in value}
    return str(value)


def publish(
    session: Session, principal: Principal, bulletin_id: uuid.UUID, if_match: str | None
) -> Bulletin:
    repo, bulletin = writable(session, principal, bulletin_id)
    check_if_match(if_match, bulletin.version)
    if bulletin.status != BulletinStatus.draft:
        raise Conflict(f"Only a draft can be published; this bulletin is {bulletin.status}")
    bulletin.status = BulletinStatus.published.value
    bulletin.published_at = utcnow()
    session.flush()
    _add_revision(session, repo, bulletin, principal, ["status"])
    return bulletin


def withdraw(
    session: Session,
    principal: Principal,
    bulletin_id: uuid.UUID,
    reason: str,
    if_match: str | None,
) -> Bulletin:
    _, bulletin = writable(session, principal, bulletin_id)
    check_if_match(if_match, bulletin.version)
    if bulletin.status != BulletinStatus.published:
        raise Conflict(f"Only a published bulletin can be withdrawn; this one is {bulletin.status}")
    bulletin.status = BulletinStatus.withdrawn.value
    bulletin.withdrawn_at = utcnow()
    bulletin.withdrawal_reason = reason
    session.flush()
    return bulletin


def _add_revision(
    session: Session,
    repo: BulletinRepository,
    bulletin: Bulletin,
    principal: Principal,
    changed: list[str],
) -> None:
    session.add(
        BulletinRevision(
            bulletin_id=bulletin.id,
            number=repo.last_revision_number(bulletin) + 1,
            bulletin_version=bulletin.version,
            title=bulletin.title,
            summary=bulletin.summary,
            body=bulletin.body,
            category=bulletin.category,
            severity=bulletin.severity,
            sectors=list(bulletin.sectors),
            indicators=list(bulletin.indicators),
            recommended_actions=list(bulletin.recommended_actions),
            references=list(bulletin.references),
            changed_fields=sorted(set(changed)),
            editor_id=principal.id,
        )
    )
    session.flush()


def acknowledge(
    session: Session, principal: Principal, bulletin_id: uuid.UUID, note: str | None
) -> BulletinAcknowledgement:
    repo = BulletinRepository(session, principal)
    bulletin = repo.get(bulletin_id, for_update=True)
    if bulletin.status != BulletinStatus.published:
        raise Conflict(
            f"Only a published bulletin can be acknowledged; this one is {bulletin.status}"
        )
    if repo.acknowledgement_of(bulletin, principal.agency_id) is not None:
        raise Conflict("Your agency has already acknowledged this bulletin")
    ack = BulletinAcknowledgement(
        bulletin_id=bulletin.id,
        agency_id=principal.agency_id,
        acknowledged_by=principal.id,
        acknowledged_by_kind=principal.kind,
        note=note or None,
    )
    session.add(ack)
    session.flush()
    return ack
