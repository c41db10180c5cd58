"""HTTP for the board update (`/board-update`): one document, three media types."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from oversight.auth.principal import ReportsRead
from oversight.board import render, service
from oversight.board.schemas import BoardUpdate
from oversight.errors import responses
from oversight.web.operation_ids import ids
from oversight.web.session import SessionDep
from oversight.web.timestamps import Day

router = APIRouter(
    prefix="/board-update",
    tags=["Board update"],
    generate_unique_id_function=ids("board_update", "board_update"),
)

SAMPLE = {
    "from": "2019-06-01",
    "to": "2020-05-31",
    "tlp": "AMBER",
    "protective_marking": "OFFICIAL",
    "threat_picture": {"summary": {"reports": 734}, "by_month": {"cells": []}},
    "bulletins": [],
    "actions": {"rag": {"red": 2, "amber": 0, "green": 1}, "overdue": []},
    "minutes": None,
}
# The printable page loads nothing: its charts are inline SVG, its style inline.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
MEDIA = {
    "application/json": {"example": SAMPLE},
    "text/html": {"schema": {"type": "string"}},
    "text/markdown": {"schema": {"type": "string"}},
}


@router.get(
    "",
    summary="The partnership's cybercrime update for a period",
    description="The threat picture (the statistics, with charts), the bulletins published "
    "in the period, the action tracker (RAG counts, overdue items with owners) and the "
    "latest published minutes' decisions — only what the caller may read (a hidden item is "
    "never shown or counted). TLP and protective marking on every item and, at the top, the "
    "highest on the page. `Accept: text/html` (printable, charts as inline SVG), "
    "`text/markdown` or `application/json`. The period is widened to whole months.",
    response_model=BoardUpdate,
    responses={200: {"content": MEDIA}, **responses(400, 401, 403)},
)
def get_board_update(
    request: Request,
    session: SessionDep,
    principal: ReportsRead,
    period_from: Annotated[Day, Query(alias="from", description="First day (YYYY-MM-DD)")],
    period_to: Annotated[Day, Query(alias="to", description="Last day (YYYY-MM-DD)")],
) -> Response:
    doc = service.build(session, principal, period_from, period_to)
    accept = request.headers.get("accept", "")
    if "text/html" in accept:
        return HTMLResponse(render.html(doc), headers={"Content-Security-Policy": PAGE_POLICY})
    if "text/markdown" in accept:
        return Response(render.markdown(doc), media_type="text/markdown; charset=utf-8")
    return JSONResponse(doc)
