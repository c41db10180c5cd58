"""Keyset pagination: opaque, signed cursors, `Page[T]`, and the `Link: rel="next"` header.

A cursor holds the sort key of the last item of a page and the path it belongs to, signed
with the service's secret: a garbled, forged or foreign cursor is a 400, never a 500.
"""

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar, get_args

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from oversight.errors import BadRequest

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Opaque like a real one, valid for no list.
EXAMPLE_CURSOR = "eyJwIjoiL2FwaS92MS9idWxsZXRpbnMiLCJrIjpbXX0.ZXhhbXBsZS1vbmx5"


def _page_example(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    """`Page[X]` is documented with a page of X's first example, so every list shows one."""
    item = next(iter(get_args(cls.model_fields["items"].annotation)), None)
    extra = getattr(item, "model_config", {}).get("json_schema_extra")
    examples = extra.get("examples") if isinstance(extra, dict) else None
    if examples:
        schema["examples"] = [{"items": examples[:1], "next_cursor": EXAMPLE_CURSOR}]


class Page(BaseModel, Generic[T]):
    model_config = ConfigDict(json_schema_extra=_page_example)

    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last page"
    )


@dataclass(slots=True)
class PageParams:
    limit: int
    cursor: str | None
    request: Request
    response: Response


async def page_params(  # async: no I/O here, so no trip to the threadpool for it
    request: Request,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`next_cursor` of the previous page")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor, request=request, response=response)


PageDep = Annotated[PageParams, Depends(page_params)]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key(request: Request) -> bytes:
    secret: str = request.app.state.tokens.key
    return hashlib.sha256(b"cursor:" + secret.encode()).digest()


def encode_cursor(request: Request, values: Sequence[Any]) -> str:
    payload = json.dumps(
        {"p": request.url.path, "k": [_dump(v) for v in values]}, separators=(",", ":")
    ).encode()
    sig = hmac.new(_key(request), payload, hashlib.sha256).digest()[:16]
    return f"{_b64(payload)}.{_b64(sig)}"


def decode_cursor(request: Request, cursor: str) -> list[Any]:
    bad = BadRequest("The cursor is not valid for this list; start again without it")
    try:
        body, _, sig = cursor.partition(".")
        payload = _unb64(body)
        expected = hmac.new(_key(request), payload, hashlib.sha256).digest()[:16]
        if not hmac.compare_digest(expected, _unb64(sig)):
            raise bad
        doc = json.loads(payload)
        if not isinstance(doc, dict) or doc.get("p") != request.url.path:
            raise bad
        keys = doc.get("k")
        if not isinstance(keys, list):
            raise bad
        return [_load(v) for v in keys]
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError) as exc:
        raise bad from exc


def _dump(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    return value


def _load(value: Any) -> Any:
    """A key as it was dumped; anything else (even signed) is not a cursor of ours."""
    if isinstance(value, dict) and set(value) == {"t"} and isinstance(value["t"], str):
        moment = datetime.fromisoformat(value["t"])
        if moment.tzinfo is None:
            raise ValueError("naive timestamp in cursor")
        return moment
    if isinstance(value, dict) and set(value) == {"u"} and isinstance(value["u"], str):
        return uuid.UUID(value["u"])
    if isinstance(value, str | int) and not isinstance(value, bool):
        return value
    raise ValueError("unexpected cursor key")


def keyset_page(
    session: Session,
    stmt: Select[Any],
    params: PageParams,
    keys: Sequence[InstrumentedAttribute[Any]],
    *,
    descending: bool = True,
    scalars: bool = True,
) -> list[Any]:
    """Fetch one page of `stmt` ordered by `keys` (last key unique, e.g. the id).

    Sets `next_cursor` state and the `Link` header on the response; returns the rows.
    """
    if params.cursor:
        after = decode_cursor(params.request, params.cursor)
        if len(after) != len(keys):
            raise BadRequest("The cursor is not valid for this list; start again without it")
        cond = tuple_(*keys) < tuple_(*after) if descending else tuple_(*keys) > tuple_(*after)
        stmt = stmt.where(cond)
    order = [k.desc() for k in keys] if descending else [k.asc() for k in keys]
    stmt = stmt.order_by(*order).limit(params.limit + 1)
    result = session.scalars(stmt) if scalars else session.execute(stmt)
    rows = list(result.all())
    has_more = len(rows) > params.limit
    rows = rows[: params.limit]
    params.request.state.next_cursor = None
    if has_more and rows:
        last = rows[-1]
        cursor = encode_cursor(params.request, [getattr(last, k.key) for k in keys])
        params.request.state.next_cursor = cursor
        url = params.request.url.include_query_params(cursor=cursor, limit=params.limit)
        # Relative: the Host header is the client's to say, never ours to repeat.
        params.response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
    return rows


# Built once: pydantic caches a parametrized model only while something holds it, and
# building `Page[Any]` anew cost about 5 % of a list request.
_ANY_PAGE = Page[Any]


def page_of(
    params: PageParams, items: list[T], convert: Callable[[Any], T] | None = None
) -> Page[T]:
    """Wrap a page's rows with the cursor `keyset_page` left on the request."""
    out = [convert(i) for i in items] if convert else items
    return _ANY_PAGE(items=out, next_cursor=params.request.state.next_cursor)
