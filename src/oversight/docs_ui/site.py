"""The addresses a person types: `/` (the docs), `/api/v1` (an index), `/problems/...`."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from oversight import __version__
from oversight.docs_ui import problems
from oversight.errors import NotFound
from oversight.web.operation_ids import ids

router = APIRouter(include_in_schema=False)
index_router = APIRouter(
    prefix="/api/v1", tags=["Health"], generate_unique_id_function=ids("api", "api")
)

COLLECTIONS = (
    "bulletins",
    "meetings",
    "actions",
    "agencies",
    "users",
    "service-accounts",
    "audit",
    "public/bulletins",
)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/docs", status_code=307)


@router.get("/problems/{name}", response_class=HTMLResponse)
def problem_page(name: str) -> HTMLResponse:
    shown = problems.page(name)
    if shown is None:
        raise NotFound("No such problem type")
    return HTMLResponse(shown)


@index_router.get(
    "",
    summary="Index of the API",
    description="What this service offers, and where: its resource collections, the token "
    "endpoint and the documentation. Public: no authentication.",
)
def api_index(request: Request) -> dict[str, Any]:
    base = request.url.path.rstrip("/")
    return {
        "name": "Oversight API",
        "version": __version__,
        "documentation": "/docs",
        "openapi": "/openapi.json",
        "token": f"{base}/auth/token",
        "collections": {name: f"{base}/{name}" for name in COLLECTIONS},
    }
