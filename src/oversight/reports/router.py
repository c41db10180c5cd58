"""HTTP for incident and near-miss reports (`/reports`)."""

import uuid
from typing import Annotated

from fastapi import Body
from fastapi.responses import JSONResponse

from oversight.auth.principal import ReportsRead, ReportsWrite
from oversight.bulletins.schemas import BulletinRead
from oversight.errors import responses
from oversight.reports import samples, service
from oversight.reports.schemas import (
    ReportCreate,
    ReportFilters,
    ReportRead,
    ReportUpdate,
    Withdrawal,
)
from oversight.web.idempotency import IdempotencyDep
from oversight.web.routes import ItemRoutes, resource_router, with_reason
from oversight.web.session import SessionDep

router = resource_router("/reports", "Reports", "report")
report_routes = ItemRoutes(router, "report_id", ReportsWrite, ReportRead)

HIDDEN = "A report the caller may not read answers 404, as one that does not exist."
ANONYMOUS = (
    "When the report is `anonymous_to_peers`, readers outside the reporting agency get "
    "`agency`, `agency_id`, `author` and `author_id` as null."
)


report_routes.create(
    service.create,
    ReportCreate,
    samples.CREATE_SAMPLES,
    summary="Report an incident or a near miss",
    description="A new report of the caller's agency, `submitted` at once. Editors and "
    "partner systems with `reports:write`. Classified like every item: `tlp` (default AMBER) "
    "and recipients decide who may read it; whatever its TLP it counts in the statistics "
    "unless `include_in_statistics` is false. Accepts `Idempotency-Key`.",
)


report_routes.listing(
    service.listing,
    ReportFilters,
    ReportRead,
    serialised=True,
    principal=ReportsRead,
    summary="List reports",
    description="The reports the caller's classification allows, newest first; those it may "
    "not read are never listed or counted. `from` and `to` bound the day it occurred "
    f"(inclusive); `q` searches the description (every word must appear). {ANONYMOUS}",
    responses=responses(400, 401, 403),
)


report_routes.get(
    service.get,
    ReportsRead,
    summary="Read a report",
    description=f"{HIDDEN} Sets `ETag`. {ANONYMOUS}",
)


report_routes.step(
    "PATCH",
    "/{report_id}",
    "update_report",
    service.update,
    Annotated[ReportUpdate, Body(openapi_examples={"edit": {"value": samples.UPDATE}})],
    summary="Edit or reclassify a report",
    description="Editors of the reporting agency; needs `If-Match`. A withdrawn report cannot "
    f"be edited. Only they may change its classification, and every change is audited. {HIDDEN}",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)


report_routes.step(
    "POST",
    "/{report_id}/withdraw",
    "withdraw_report",
    with_reason(service.withdraw),
    Withdrawal,
    summary="Withdraw a report",
    description="Editors of the reporting agency; needs `If-Match` and a `reason`. A withdrawn "
    f"report no longer counts in the statistics; its readers still see it. {HIDDEN}",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)


@router.post(
    "/{report_id}/promote",
    status_code=201,
    response_model=BulletinRead,
    summary="Draft a bulletin from a report",
    description="Editors of the reporting agency: a new draft bulletin of that agency, "
    "drafted from the report with its classification; the report's `bulletin_id` and the "
    "bulletin's `report_id` name each other. Once per report (409 after). Needs "
    f"`bulletins:write` too. Accepts `Idempotency-Key`. {HIDDEN}",
    responses=responses(401, 403, 404, 409),
)
def promote_report(
    report_id: uuid.UUID, session: SessionDep, principal: ReportsWrite, idem: IdempotencyDep
) -> JSONResponse:
    return idem.respond(
        session,
        principal,
        lambda: service.promote(session, principal, report_id),
        at=("get_bulletin", "bulletin_id"),
    )
