"""Paging on the wire: `limit` and `cursor` in, `Page[T]` and `Link: rel="next"` out.

A cursor holds the sort key where the next page starts and the path it belongs to, signed
with the service's secret: a garbled, forged or foreign cursor is a 400, never a 500. The
database side (`db.keyset`) knows nothing of cursors; routers alone use this module.
"""

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar, get_args

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import URL

from oversight.db.keyset import Key, PageSlice
from oversight.errors import BadRequest

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Opaque like a real one, valid for no list.
SAMPLE_CURSOR = "eyJwIjoiL2FwaS92MS9idWxsZXRpbnMiLCJrIjpbXX0.ZXhhbXBsZS1vbmx5"
BAD_CURSOR = "The cursor is not valid for this list; start again without it"


def _page_sample(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    """`Page[X]` is documented with a page of X's first sample, so every list shows one."""
    item = next(iter(get_args(cls.model_fields["items"].annotation)), None)
    extra = getattr(item, "model_config", {}).get("json_schema_extra")
    samples = extra.get("examples") if isinstance(extra, dict) else None
    if samples:
        schema["examples"] = [{"items": samples[:1], "next_cursor": SAMPLE_CURSOR}]


class Page(BaseModel, Generic[T]):
    model_config = ConfigDict(json_schema_extra=_page_sample)

    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last page"
    )


class CursorCodec:
    """Signs sort keys into opaque cursors bound to one list (its path), and reads them back."""

    def __init__(self, secret: str) -> None:
        self.key = hashlib.sha256(b"cursor:" + secret.encode()).digest()

    def encode(self, path: str, values: Sequence[Any]) -> str:
        payload = json.dumps(
            {"p": path, "k": [_dump(v) for v in values]}, separators=(",", ":")
        ).encode()
        sig = hmac.new(self.key, payload, hashlib.sha256).digest()[:16]
        return f"{_b64(payload)}.{_b64(sig)}"

    def decode(self, path: str, cursor: str) -> Key:
        try:
            body, _, sig = cursor.partition(".")
            payload = _unb64(body)
            expected = hmac.new(self.key, payload, hashlib.sha256).digest()[:16]
            if not hmac.compare_digest(expected, _unb64(sig)):
                raise BadRequest(BAD_CURSOR)
            doc = json.loads(payload)
            if not isinstance(doc, dict) or doc.get("p") != path:
                raise BadRequest(BAD_CURSOR)
            keys = doc.get("k")
            if not isinstance(keys, list) or not keys:
                raise BadRequest(BAD_CURSOR)
            return tuple(_load(v) for v in keys)
        except (ValueError, TypeError, UnicodeDecodeError, OverflowError) as exc:
            raise BadRequest(BAD_CURSOR) from exc


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _dump(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
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
    if isinstance(value, dict) and set(value) == {"d"} and isinstance(value["d"], str):
        return date.fromisoformat(value["d"])
    if isinstance(value, str | int) and not isinstance(value, bool):
        return value
    raise ValueError("unexpected cursor key")


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
Cursor = Annotated[
    str | None, Query(max_length=512, description="`next_cursor` of the previous page")
]


@dataclass(frozen=True, slots=True)
class PageQuery:
    """A list request's page: the slice the services read, and the answer it becomes."""

    slice: PageSlice
    url: URL
    codec: CursorCodec
    response: Response

    @property
    def limit(self) -> int:
        return self.slice.limit

    @property
    def after(self) -> Key | None:
        return self.slice.after


async def page_query(  # async: no I/O here, so no trip to the threadpool for it
    request: Request,
    response: Response,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PageQuery:
    codec: CursorCodec = request.app.state.cursors
    after = codec.decode(request.url.path, cursor) if cursor else None
    return PageQuery(PageSlice(limit, after), request.url, codec, response)


PageDep = Annotated[PageQuery, Depends(page_query)]

# Built once: pydantic caches a parametrized model only while something holds it, and
# building `Page[Any]` anew showed in every list request (docs/architecture.md, "Tails:
# what a serving worker does at start").
_ANY_PAGE = Page[Any]


def _next(query: PageQuery, last: Key | None) -> str | None:
    """The next page's cursor, its relative `Link` set on the answer (the Host header is the
    client's to say, never ours to repeat)."""
    if last is None:
        return None
    cursor = query.codec.encode(query.url.path, last)
    url = query.url.include_query_params(cursor=cursor, limit=query.limit)
    query.response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
    return cursor


def respond(
    query: PageQuery,
    page: tuple[Sequence[Any], Key | None],
    convert: Callable[[Any], T] | None = None,
) -> Page[T]:
    """A page as answered: items, the next cursor, and a `Link` to the next page."""
    rows, last = page
    items = [convert(r) for r in rows] if convert else list(rows)
    return _ANY_PAGE(items=items, next_cursor=_next(query, last))


def respond_json(query: PageQuery, page: tuple[Sequence[bytes], Key | None]) -> Response:
    """A page of items already serialised as JSON (by `representations`), answered as
    `respond` answers: not validated again, since our own schemas produced every byte."""
    items, last = page
    cursor = _next(query, last)
    content = b'{"items":[%s],"next_cursor":%s}' % (
        b",".join(items),
        json.dumps(cursor).encode(),
    )
    headers = dict(query.response.headers)
    headers.pop("content-length", None)
    return Response(content, media_type="application/json", headers=headers)
