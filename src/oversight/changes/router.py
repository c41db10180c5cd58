"""HTTP for the change feed (`/changes`)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from oversight.auth.principal import AnyPrincipal
from oversight.changes import service
from oversight.changes.schemas import ChangePage, ChangeRead
from oversight.errors import BadRequest, responses
from oversight.web.operation_ids import ids
from oversight.web.paging import BAD_CURSOR, DEFAULT_LIMIT, Cursor, CursorCodec, Limit
from oversight.web.session import SessionDep

router = APIRouter(
    prefix="/changes", tags=["Changes"], generate_unique_id_function=ids("changes", "changes")
)


@router.get(
    "",
    response_model=ChangePage,
    summary="Read the change feed",
    description="Content-free events (`bulletin.published`, `meeting.minutes_published`, "
    "`action.status_changed`, ...) in the order their changes committed, from `after` (the "
    "`next_cursor` of the previous page; none: from the start). Only events about items the "
    "caller may read **now** are listed, and only for the resources its scopes read. "
    "`types` narrows to resources (`bulletin,meeting,action,report`) or event types. A "
    "cursor never skips an event: poll with the last `next_cursor` to hear of what comes next.",
    responses=responses(400, 401, 403),
)
def list_changes(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: AnyPrincipal,
    after: Cursor = None,
    types: Annotated[
        str | None,
        Query(max_length=1000, description="Comma-separated resources or event types"),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
) -> ChangePage:
    codec: CursorCodec = request.app.state.cursors
    position = _position(codec, request.url.path, after) if after else 0
    page = service.feed(session, principal, position, types, limit)
    cursor = codec.encode(request.url.path, [page.position])
    if page.more:
        url = request.url.include_query_params(after=cursor, limit=limit)
        response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
    return ChangePage(items=[ChangeRead.model_validate(e) for e in page.items], next_cursor=cursor)


def _position(codec: CursorCodec, path: str, cursor: str) -> int:
    key = codec.decode(path, cursor)
    if len(key) != 1 or not isinstance(key[0], int) or key[0] < 0:
        raise BadRequest(BAD_CURSOR)
    return key[0]
