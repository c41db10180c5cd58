"""Liveness and readiness probes (no authentication)."""

from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from oversight.db import migrations
from oversight.errors import ServiceUnavailable, responses
from oversight.web.operation_ids import ids

router = APIRouter(tags=["Health"], generate_unique_id_function=ids("health"))


@router.get(
    "/healthz",
    summary="Process is alive",
    description="Touches no database. Public: no authentication.",
)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Ready to serve",
    description="The database answers and its schema is at the latest migration. "
    "Public: no authentication.",
    responses=responses(503),
)
def readyz(request: Request) -> dict[str, str]:
    engine = request.app.state.engine
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = migrations.current_revisions(engine)
    except SQLAlchemyError as exc:
        raise ServiceUnavailable("The database is not reachable") from exc
    if current != request.app.state.schema_heads:
        raise ServiceUnavailable("The database schema is not at the latest migration")
    return {"status": "ready", "revision": ",".join(sorted(current))}
