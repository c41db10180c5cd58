"""A request body read whole before anything else happens: within the size and the time
limits, in the media type and charset the API takes, with no NUL in any text."""

import json
from typing import Any
from urllib.parse import unquote_to_bytes

import anyio
from starlette.datastructures import Headers
from starlette.types import Receive, Scope

from oversight.errors import ProblemError

# JSON bodies are UTF-8 (RFC 8259); a declared charset may only say so.
_JSON_TYPES = frozenset({"application/json", "application/merge-patch+json"})
_FORM_TYPE = "application/x-www-form-urlencoded"
_FORM_PATHS = ("/api/v1/auth/",)
_UTF8 = frozenset({"utf-8", "utf8"})
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
NUL_DETAIL = "Text may not contain the NUL character (U+0000)"


class RequestRefused(Exception):
    """Answered by the middleware itself, before the request reaches a route."""

    def __init__(self, status: int, title: str, slug: str, detail: str, **headers: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.slug, self.detail = status, title, slug, detail
        self.headers = headers
        self.extra: dict[str, Any] = {}

    @classmethod
    def of(cls, problem: ProblemError) -> "RequestRefused":
        return cls(problem.status, problem.title, problem.slug, problem.detail, **problem.headers)


def _nul_at(value: Any, where: list[str | int]) -> list[str | int] | None:
    """Where in a decoded JSON body a string holds NUL, if anywhere."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    items: Any = ()
    if isinstance(value, dict):
        items = value.items()
        if any("\x00" in k for k in value):
            return where
    elif isinstance(value, list):
        items = enumerate(value)
    for key, item in items:
        found = _nul_at(item, [*where, key])
        if found is not None:
            return found
    return None


def check_target(scope: Scope) -> None:
    raw_path: bytes = scope.get("raw_path") or scope.get("path", "").encode()
    query: bytes = scope.get("query_string", b"")
    if b"\x00" in unquote_to_bytes(raw_path) or b"\x00" in unquote_to_bytes(query):
        raise RequestRefused(400, "Bad Request", "bad-request", NUL_DETAIL)


class BodyReader:
    """Reads a request's body ahead of the app, within `max_body` bytes and `timeout` s."""

    def __init__(self, max_body: int, timeout: float) -> None:
        self.max_body = max_body
        self.body_timeout = timeout

    async def read(self, scope: Scope, headers: Headers, receive: Receive) -> bytes | None:
        """The whole body, read before anything else happens, within the size and time limits."""
        length = headers.get("content-length")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        if length is not None:
            if not length.isdigit():
                raise RequestRefused(
                    400, "Bad Request", "bad-request", "Content-Length is not a number"
                )
            if int(length) > self.max_body:
                raise self._too_large()
        if not (chunked or (length is not None and int(length) > 0)):
            return None
        media, charset = self._media_type(headers)
        if scope["method"] in _BODY_METHODS:
            self._check_media_type(scope, media, charset)
        body = await self._receive_all(receive)
        self._check_nul(body, media)
        return body

    def _media_type(self, headers: Headers) -> tuple[str, str | None]:
        media, _, params = headers.get("content-type", "").partition(";")
        charset = None
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                charset = value.strip().strip('"').lower()
        return media.strip().lower(), charset

    def _check_media_type(self, scope: Scope, media: str, charset: str | None) -> None:
        path: str = scope.get("path", "")
        if not path.startswith("/api/"):
            return
        if path.startswith(_FORM_PATHS):
            allowed, say = frozenset({_FORM_TYPE}), _FORM_TYPE
        else:
            allowed, say = _JSON_TYPES, "application/json"
        if media not in allowed or (charset is not None and charset not in _UTF8):
            raise RequestRefused(
                415,
                "Unsupported Media Type",
                "unsupported-media-type",
                f"Send the body as {say} (UTF-8)",
            )

    async def _receive_all(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            with anyio.fail_after(self.body_timeout):
                while True:
                    message = await receive()
                    if message["type"] != "http.request":
                        break
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_body:
                        raise self._too_large()
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            raise RequestRefused(
                408,
                "Request Timeout",
                "request-timeout",
                f"The request body did not arrive within {self.body_timeout:g} seconds",
                Connection="close",
            ) from None
        return b"".join(chunks)

    def _check_nul(self, body: bytes, media: str) -> None:
        """No text may hold NUL: PostgreSQL cannot store it, and no field needs it."""
        where: list[str | int] | None = None
        if media == _FORM_TYPE or b"\x00" in body:
            if b"\x00" in unquote_to_bytes(body.replace(b"+", b" ")):
                where = ["body"]
        elif b"\\u0000" in body:  # decode only what may hold one
            try:
                where = _nul_at(json.loads(body), ["body"])
            except (ValueError, UnicodeDecodeError):
                where = None  # not JSON: the route says so
        if where is None:
            return
        refused = RequestRefused(
            422,
            "Unprocessable Content",
            "validation-error",
            f"The request is invalid: {'.'.join(map(str, where))} ({NUL_DETAIL})",
        )
        refused.extra = {"errors": [{"loc": where, "msg": NUL_DETAIL, "type": "nul_character"}]}
        raise refused

    def _too_large(self) -> RequestRefused:
        return RequestRefused(
            413,
            "Payload Too Large",
            "payload-too-large",
            f"Request bodies are limited to {self.max_body} bytes",
        )
