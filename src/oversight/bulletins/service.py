"""The rules of bulletins: drafts, publication, edits as revisions, withdrawal, receipt."""

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from oversight.access import names, writing
from oversight.access.items import Items
from oversight.access.models import CLASSIFICATION_FIELDS
from oversight.access.repository import ClassifiedRepository
from oversight.accounts.names import agency_id_of
from oversight.auth.principal import Principal
from oversight.bulletins.models import (
    Bulletin,
    BulletinAcknowledgement,
    BulletinRevision,
    BulletinStatus,
)
from oversight.bulletins.repository import BulletinRepository, PublicBulletinRepository
from oversight.bulletins.schemas import (
    CONTENT_FIELDS,
    REVISED_FIELDS,
    AcknowledgementRead,
    BulletinCreate,
    BulletinFilters,
    BulletinPublic,
    BulletinRead,
    BulletinUpdate,
)
from oversight.bulletins.search import DEFAULT_PLAN, SearchPlan
from oversight.db import utcnow
from oversight.db.keyset import Key, PageSlice
from oversight.errors import Conflict
from oversight.representations import pages, store
from oversight.taxii import feed


def _content(data: BulletinCreate | BulletinUpdate, fields: set[str]) -> dict[str, Any]:
    out = data.model_dump(mode="json", include=fields & set(CONTENT_FIELDS))
    if "review_by" in out:
        out["review_by"] = data.review_by  # a date, not its text
    return out


def _reports_shown(
    session: Session, principal: Principal, rows: Sequence[Bulletin]
) -> Callable[[Bulletin], dict[str, Any]]:
    """The report a bulletin was drafted from, only when the caller may read that report."""
    linked = [b.report_id for b in rows if b.report_id is not None]
    readable = (
        ClassifiedRepository.of("report")(session, principal).visible_ids(linked)
        if linked
        else set()
    )

    def extra(bulletin: Bulletin) -> dict[str, Any]:
        return {"report_id": bulletin.report_id if bulletin.report_id in readable else None}

    return extra


def present(session: Session, principal: Principal, rows: list[Bulletin]) -> list[BulletinRead]:
    """Bulletins as the caller sees them: names beside ids, recipients if it owns them, and
    the report a bulletin was drafted from only when the caller may read that report."""
    return names.present(
        session, principal, rows, BulletinRead, _reports_shown(session, principal, rows)
    )


# Lists serve bulletins from their stored representations (`representations`).
REPRESENTED = store.register(
    Bulletin,
    "bulletin",
    BulletinRead,
    live=("report_id",),
    needs=("report_id",),
    derive=_reports_shown,
    present=present,
)

bulletin_items = Items(
    BulletinRepository,
    present,
    "Only editors of the agency that owns this bulletin may change it",
    "Only editors may write bulletins",
)
shown = bulletin_items.shown
get = bulletin_items.get


def create(session: Session, principal: Principal, data: BulletinCreate) -> BulletinRead:
    bulletin = Bulletin(status=BulletinStatus.draft.value, **_content(data, set(CONTENT_FIELDS)))
    return bulletin_items.create(session, principal, data, bulletin)


def listing(
    session: Session,
    principal: Principal,
    filters: BulletinFilters,
    page: PageSlice,
    plan: SearchPlan = DEFAULT_PLAN,
) -> tuple[list[bytes], Key | None]:
    """A page of bulletins as JSON, served from their stored representations."""
    filters.agency_id = agency_id_of(session, filters.agency_id)
    repo = BulletinRepository(session, principal)
    rows, last = repo.listing(filters, page, plan, pages.loading(repo, REPRESENTED))
    return pages.items_json(session, principal, REPRESENTED, rows, repo.items), last


def headlines(
    session: Session, principal: Principal, start: datetime, end: datetime, page: PageSlice
) -> tuple[list[Bulletin], Key | None]:
    """A page of the bulletins the caller reads that were published within [start, end],
    with only their title, category, severity, publication time and marking loaded (a
    summary of many: the board update)."""
    return BulletinRepository(session, principal).headlines(start, end, page)


def public(session: Session, page: PageSlice) -> tuple[list[BulletinPublic], Key | None]:
    rows, last = PublicBulletinRepository(session).listing(page)
    return names.present(session, None, rows, BulletinPublic), last


def update(
    session: Session,
    principal: Principal,
    bulletin_id: uuid.UUID,
    data: BulletinUpdate,
    expected_version: int | None,
) -> BulletinRead:
    repo, bulletin = bulletin_items.editable(session, principal, bulletin_id, expected_version)
    changed = writing.assign(bulletin, _content(data, data.model_fields_set))
    before = {f: _as_compared(getattr(bulletin, f)) for f in CLASSIFICATION_FIELDS}
    writing.reclassify(repo, bulletin, data)
    changed += [f for f in CLASSIFICATION_FIELDS if _as_compared(getattr(bulletin, f)) != before[f]]
    session.flush()
    if changed and bulletin.status == BulletinStatus.published:
        _add_revision(session, repo, bulletin, principal, changed)
        feed.record(session, bulletin, reclassified=bool(set(changed) & set(CLASSIFICATION_FIELDS)))
    return shown(session, principal, bulletin)


def _as_compared(value: Any) -> Any:
    if isinstance(value, list):
        return {str(v) for v in value}
    return str(value)


def publish(
    session: Session, principal: Principal, bulletin_id: uuid.UUID, expected_version: int | None
) -> BulletinRead:
    repo, bulletin = bulletin_items.writable(session, principal, bulletin_id, expected_version)
    if bulletin.status != BulletinStatus.draft:
        raise Conflict(f"Only a draft can be published; this bulletin is {bulletin.status}")
    bulletin.status = BulletinStatus.published.value
    bulletin.published_at = utcnow()
    session.flush()
    _add_revision(session, repo, bulletin, principal, ["status"])
    feed.record(session, bulletin)
    return shown(session, principal, bulletin)


def withdraw(
    session: Session,
    principal: Principal,
    bulletin_id: uuid.UUID,
    reason: str,
    expected_version: int | None,
) -> BulletinRead:
    bulletin = bulletin_items.withdrawn(
        session, principal, bulletin_id, reason, expected_version, allowed_from="published"
    )
    feed.record(session, bulletin)
    return shown(session, principal, bulletin)


def _add_revision(
    session: Session,
    repo: BulletinRepository,
    bulletin: Bulletin,
    principal: Principal,
    changed: list[str],
) -> None:
    text = {f: _copied(getattr(bulletin, f)) for f in REVISED_FIELDS}
    session.add(
        BulletinRevision(
            bulletin_id=bulletin.id,
            number=repo.last_revision_number(bulletin) + 1,
            bulletin_version=bulletin.version,
            changed_fields=sorted(set(changed)),
            editor_id=principal.id,
            **text,
        )
    )
    session.flush()


def _copied(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def revisions(
    session: Session, principal: Principal, bulletin_id: uuid.UUID, page: PageSlice
) -> tuple[list[BulletinRevision], Key | None]:
    return _of_readable(session, principal, bulletin_id, page, BulletinRepository.revisions)


def acknowledgements(
    session: Session, principal: Principal, bulletin_id: uuid.UUID, page: PageSlice
) -> tuple[list[AcknowledgementRead], Key | None]:
    rows, last = _of_readable(
        session, principal, bulletin_id, page, BulletinRepository.acknowledgements
    )
    return names.present(session, principal, rows, AcknowledgementRead), last


def _of_readable(
    session: Session, principal: Principal, bulletin_id: uuid.UUID, page: PageSlice, rows: Any
) -> Any:
    """What hangs below a bulletin, reached only through one the caller reads (404)."""
    repo = BulletinRepository(session, principal)
    return rows(repo, repo.get(bulletin_id), page)


def acknowledge(
    session: Session, principal: Principal, bulletin_id: uuid.UUID, note: str | None
) -> AcknowledgementRead:
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
    return names.present(session, principal, [ack], AcknowledgementRead)[0]
