"""The rules of reports: submission, edits by the reporting agency, withdrawal, promotion
to a draft bulletin, and anonymity towards peers in every representation."""

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from oversight.access import names, writing
from oversight.access.items import Items
from oversight.access.repository import ClassifiedRepository
from oversight.auth.principal import Principal
from oversight.bulletins import service as bulletins
from oversight.bulletins.repository import BulletinRepository
from oversight.bulletins.schemas import BulletinCreate, BulletinRead
from oversight.db.keyset import Key, PageSlice
from oversight.errors import Conflict
from oversight.reports.models import Report, ReportStatus
from oversight.reports.repository import ReportRepository
from oversight.reports.schemas import (
    CONTENT_FIELDS,
    ReportCreate,
    ReportFilters,
    ReportRead,
    ReportUpdate,
)
from oversight.representations import pages, store

ANONYMOUS = {"agency": None, "agency_id": None, "author": None, "author_id": None}


def _shown(
    session: Session, principal: Principal, reports: Sequence[Report]
) -> Callable[[Report], dict[str, Any]]:
    """Who reported, unless anonymous to this reader, and the promoted bulletin's id only
    when the caller may read that bulletin."""
    bulletin_ids = ClassifiedRepository.of("bulletin")(session, principal).visible_ids(
        r.bulletin_id for r in reports
    )

    def extra(report: Report) -> dict[str, Any]:
        out: dict[str, Any] = {
            "agency_id": report.agency_id,
            "author_id": report.author_id,
            "bulletin_id": report.bulletin_id if report.bulletin_id in bulletin_ids else None,
        }
        if report.anonymous_to_peers and report.agency_id != principal.agency_id:
            out |= ANONYMOUS
        return out

    return extra


def present(session: Session, principal: Principal, reports: list[Report]) -> list[ReportRead]:
    """Reports as the caller sees them: names beside ids, anonymous to peers if asked, and
    the promoted bulletin's id only when the caller may read that bulletin."""
    return names.present(
        session, principal, reports, ReportRead, _shown(session, principal, reports)
    )


# Lists serve reports from their stored representations (`representations`): who reported
# is live, never stored, so anonymity is decided for each reader.
REPRESENTED = store.register(
    Report,
    "report",
    ReportRead,
    live=("bulletin_id", *ANONYMOUS),
    needs=("bulletin_id", "anonymous_to_peers"),
    derive=_shown,
    present=present,
)

report_items = Items(
    ReportRepository,
    present,
    "Only editors of the reporting agency may change this report",
    "Only editors may submit reports",
)
shown = report_items.shown
get = report_items.get


def create(session: Session, principal: Principal, data: ReportCreate) -> ReportRead:
    report = Report(
        status=ReportStatus.submitted.value, **data.model_dump(include=set(CONTENT_FIELDS))
    )
    return report_items.create(session, principal, data, report)


def listing(
    session: Session, principal: Principal, filters: ReportFilters, page: PageSlice
) -> tuple[list[bytes], Key | None]:
    """A page of reports as JSON, served from their stored representations."""
    repo = ReportRepository(session, principal)
    rows, last = repo.listing(filters, page, pages.loading(repo, REPRESENTED))
    return pages.items_json(session, principal, REPRESENTED, rows, repo.items), last


def update(
    session: Session,
    principal: Principal,
    report_id: uuid.UUID,
    data: ReportUpdate,
    expected_version: int | None,
) -> ReportRead:
    repo, report = report_items.editable(session, principal, report_id, expected_version)
    writing.edit(repo, report, data, CONTENT_FIELDS)
    return shown(session, principal, report)


def withdraw(
    session: Session,
    principal: Principal,
    report_id: uuid.UUID,
    reason: str,
    expected_version: int | None,
) -> ReportRead:
    report = report_items.withdrawn(
        session, principal, report_id, reason, expected_version, allowed_from="submitted"
    )
    return shown(session, principal, report)


SECTOR_OF_VICTIM = {
    "individual": "individuals",
    "sme": "sme",
    "large_business": "large_business",
    "charity": "charity",
    "public_sector": "public_sector",
    "education": "education",
    "health": "health",
}
SEVERITY_OF_OUTCOME = {"prevented": "medium", "contained": "high", "loss": "high"}


def _drafted(report: Report) -> BulletinCreate:
    """A bulletin's first draft from a report: what happened, to whom, and how it began."""
    what = "Near miss" if report.kind == "near_miss" else "Incident"
    victim = report.victim_type.replace("_", " ")
    vector = report.vector.replace("_", " ")
    title = f"{what}: {report.category.replace('_', ' ')} against {victim} via {vector}"
    summary = (report.description.strip().split("\n\n")[0] or title)[:2000]
    sector = SECTOR_OF_VICTIM.get(report.victim_type)
    return BulletinCreate(
        title=title[:200],
        summary=summary,
        body=report.description,
        category=report.category,
        severity=SEVERITY_OF_OUTCOME[report.outcome],
        sectors=[sector] if sector else [],
        tlp=report.tlp,
        recipient_agencies=[uuid.UUID(str(a)) for a in report.recipient_agencies],
        recipient_users=[uuid.UUID(str(u)) for u in report.recipient_users],
        protective_marking=report.protective_marking,
    )


def promote(session: Session, principal: Principal, report_id: uuid.UUID) -> BulletinRead:
    """A draft bulletin of the reporting agency drafted from the report; each names the other."""
    _, report = report_items.writable(session, principal, report_id, None, versioned=False)
    if report.status != ReportStatus.submitted:
        raise Conflict(f"Only a submitted report can be promoted; this one is {report.status}")
    if report.bulletin_id is not None:
        raise Conflict("This report has already been promoted to a bulletin")
    draft = bulletins.create(session, principal, _drafted(report))
    bulletin = BulletinRepository(session, principal).get(draft.id)
    bulletin.report_id = report.id
    report.bulletin_id = bulletin.id
    session.flush()
    return bulletins.shown(session, principal, bulletin)
