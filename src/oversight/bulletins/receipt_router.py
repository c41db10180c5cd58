"""HTTP for an agency's receipt of a bulletin: `/bulletins/{id}/acknowledge(ments)`."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from oversight.auth.principal import BulletinsRead
from oversight.bulletins import samples, service
from oversight.bulletins.router import HIDDEN
from oversight.bulletins.schemas import AcknowledgementIn, AcknowledgementRead
from oversight.errors import responses
from oversight.web.idempotency import IdempotencyDep
from oversight.web.operation_ids import ids
from oversight.web.routes import ItemRoutes
from oversight.web.session import SessionDep

router = APIRouter(
    prefix="/bulletins",
    tags=["Bulletins"],
    generate_unique_id_function=ids("bulletins", "bulletins", "bulletin"),
)


@router.post(
    "/{bulletin_id}/acknowledge",
    status_code=201,
    response_model=AcknowledgementRead,
    summary="Confirm receipt for the caller's agency",
    description="Once per agency (409 after that), for a published bulletin. Accepts "
    f"`Idempotency-Key`. {HIDDEN}",
    responses=responses(401, 403, 404, 409, 422),
)
def acknowledge_bulletin(
    bulletin_id: uuid.UUID,
    session: SessionDep,
    principal: BulletinsRead,
    idem: IdempotencyDep,
    body: Annotated[
        AcknowledgementIn | None, Body(openapi_examples=samples.ACKNOWLEDGE_SAMPLES)
    ] = None,
) -> JSONResponse:
    note = body.note if body else None
    return idem.respond(
        session,
        principal,
        lambda: AcknowledgementRead.model_validate(
            service.acknowledge(session, principal, bulletin_id, note)
        ),
    )


bulletin_routes = ItemRoutes(router, "bulletin_id", BulletinsRead)


bulletin_routes.children(
    "/{bulletin_id}/acknowledgements",
    "list_acknowledgements",
    service.acknowledgements,
    AcknowledgementRead,
    summary="Agencies that confirmed receipt",
    description=f"Newest first. {HIDDEN}",
    responses=responses(400, 401, 403, 404),
)
