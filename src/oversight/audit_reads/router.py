"""/audit: read, verify and export the trail (scope `audit:read`); nothing edits it."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from oversight.audit_reads import service
from oversight.audit_reads.schemas import (
    EXPORT_SAMPLE,
    RECORD_SAMPLE,
    AuditFilter,
    AuditRecordRead,
    VerifyResult,
)
from oversight.auth.principal import AuditRead
from oversight.errors import responses
from oversight.web.operation_ids import ids
from oversight.web.routes import listing
from oversight.web.session import SessionDep

router = APIRouter(
    prefix="/audit", tags=["Audit"], generate_unique_id_function=ids("audit", "audit")
)

NDJSON = "application/x-ndjson"
HEX64 = r"^[0-9a-f]{64}$"


listing(
    router,
    "",
    name="list_audit",
    principal=AuditRead,
    given=Annotated[AuditFilter, Query()],
    fetch=lambda session, principal, f, page: service.listing(session, f, page),
    item=AuditRecordRead,
    summary="List audit records",
    description=(
        "Newest first (by `seq`, the chain order; never by time). Filters combine with AND; "
        "`since` is inclusive and `until` exclusive, both RFC 3339 with a time zone. "
        "Scope `audit:read` (role `auditor`)."
    ),
    responses={
        200: {
            "content": {
                "application/json": {"example": {"items": [RECORD_SAMPLE], "next_cursor": None}}
            }
        },
        **responses(400, 401, 403, 422),
    },
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
            "content": {NDJSON: {"schema": {"type": "string"}, "example": EXPORT_SAMPLE}},
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
