"""/audit: read, verify and export the trail (scope `audit:read`); nothing edits it."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from oversight.audit import service
from oversight.audit.repository import AuditFilter
from oversight.audit.schemas import EXPORT_EXAMPLE, RECORD_EXAMPLE, AuditRecordRead, VerifyResult
from oversight.auth.principal import AuditRead
from oversight.errors import responses
from oversight.web import paging
from oversight.web.filters import AgencyFilter
from oversight.web.operation_ids import ids
from oversight.web.paging import Page, PageDep
from oversight.web.session import SessionDep
from oversight.web.timestamps import Timestamp

router = APIRouter(
    prefix="/audit", tags=["Audit"], generate_unique_id_function=ids("audit", "audit")
)

NDJSON = "application/x-ndjson"
HEX64 = r"^[0-9a-f]{64}$"

Text64 = Annotated[str | None, Query(max_length=64)]


@router.get(
    "",
    response_model=Page[AuditRecordRead],
    summary="List audit records",
    description=(
        "Newest first (by `seq`, the chain order; never by time). Filters combine with AND; "
        "`since` is inclusive and `until` exclusive, both RFC 3339 with a time zone. "
        "Scope `audit:read` (role `auditor`)."
    ),
    responses={
        200: {
            "content": {
                "application/json": {"example": {"items": [RECORD_EXAMPLE], "next_cursor": None}}
            }
        },
        **responses(400, 401, 403, 422),
    },
)
def list_audit(
    session: SessionDep,
    principal: AuditRead,
    page: PageDep,
    actor_id: Annotated[
        str | None, Query(max_length=64, description="A user or service account id, or `system`")
    ] = None,
    agency_id: AgencyFilter = None,
    action: Annotated[str | None, Query(max_length=64, examples=["auth.login_failed"])] = None,
    resource_type: Annotated[str | None, Query(max_length=32, examples=["user"])] = None,
    resource_id: Text64 = None,
    since: Annotated[Timestamp | None, Query()] = None,
    until: Annotated[Timestamp | None, Query()] = None,
) -> Page[AuditRecordRead]:
    f = AuditFilter(actor_id, agency_id, action, resource_type, resource_id, since, until)
    return paging.respond(
        page, service.listing(session, f, page.slice), AuditRecordRead.model_validate
    )


@router.get(
    "/verify",
    response_model=VerifyResult,
    response_model_exclude_none=False,
    summary="Verify the hash chain",
    description=(
        "Recomputes every record's hash in `seq` order and checks the links, the chain head "
        "and, when given, a checkpoint from an earlier run (`expected_seq` with "
        "`expected_head`): without one, a tail cut off together with the chain head would go "
        "unnoticed. A broken chain is still a 200, with `ok: false` and `first_bad_seq`. "
        "Scope `audit:read`."
    ),
    responses=responses(401, 403, 422),
)
def verify(
    session: SessionDep,
    principal: AuditRead,
    expected_seq: Annotated[
        int | None, Query(ge=1, description="`records` of an earlier verification")
    ] = None,
    expected_head: Annotated[
        str | None, Query(pattern=HEX64, description="`head_hash` of that verification")
    ] = None,
) -> VerifyResult:
    result = service.verify(session, expected_seq, expected_head)
    return VerifyResult.model_validate(result, from_attributes=True)


@router.get(
    "/export",
    summary="Export the whole trail (JSON Lines)",
    description=(
        "Every record up to the chain head at the time of the request, in `seq` order, one "
        "JSON object per line in the canonical form with its `hash`: drop `hash`, serialise "
        "the rest with sorted keys and no whitespace, and SHA-256 of `prev_hash` ‖ that is "
        "the hash again, so an export can be verified anywhere. Streamed in batches. The "
        "export itself is recorded as `audit.export`. Scope `audit:read`."
    ),
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "JSON Lines, one record per line",
            "content": {NDJSON: {"schema": {"type": "string"}, "example": EXPORT_EXAMPLE}},
        },
        **responses(401, 403),
    },
)
def export(request: Request, session: SessionDep, principal: AuditRead) -> StreamingResponse:
    return StreamingResponse(
        service.export(session, request.app.state.sessionmaker),
        media_type=NDJSON,
        headers={"Content-Disposition": 'attachment; filename="audit.jsonl"'},
    )
