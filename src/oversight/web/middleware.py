"""Per-request plumbing as plain ASGI: request id, the body read ahead, media type, the bearer
token checked before any database work, headers, access log.

Nothing here touches the database: a request reaches a database slot (see `admission`) only
once its whole body has arrived, within a time bound, and, on an authenticated path, once its
access token's signature and claims hold. So a client that sends slowly, or sends no valid
token, holds no slot, no thread and no connection.
"""

import json
import logging
import re
import time
import uuid
from typing import Any
from urllib.parse import unquote_to_bytes

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oversight.errors import PROBLEM_JSON, ProblemError

log = logging.getLogger("oversight.access")

_VALID_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
# JSON bodies are UTF-8 (RFC 8259); a declared charset may only say so.
_JSON_TYPES = frozenset({"application/json", "application/merge-patch+json"})
_FORM_TYPE = "application/x-www-form-urlencoded"
_FORM_PATHS = ("/api/v1/auth/",)
_UTF8 = frozenset({"utf-8", "utf8"})
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


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


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _problem(scope: Scope, refused: RequestRefused) -> JSONResponse:
    return JSONResponse(
        {
            "type": f"/problems/{refused.slug}",
            "title": refused.title,
            "status": refused.status,
            "detail": refused.detail,
            "instance": scope.get("path", ""),
            "request_id": scope["state"]["request_id"],
            **refused.extra,
        },
        status_code=refused.status,
        media_type=PROBLEM_JSON,
        headers=refused.headers or None,
    )


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


NUL_DETAIL = "Text may not contain the NUL character (U+0000)"


class RequestContextMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        body_timeout: float = 20.0,
        public_paths: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.body_timeout = body_timeout
        self.public_paths = public_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        incoming = headers.get("x-request-id", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        path: str = scope.get("path", "")
        started = time.perf_counter()
        outcome: dict[str, Any] = {"status": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                h = MutableHeaders(scope=message)
                h["X-Request-ID"] = request_id
                h["X-Content-Type-Options"] = "nosniff"
                if path.startswith("/api/") and "cache-control" not in h:
                    h["Cache-Control"] = "no-store"
            await send(message)

        try:
            try:
                self._check_target(scope)
                body = await self._read_body(scope, headers, receive)
                if body is not None:
                    receive = _replay(body, receive)
                self._check_token(scope, headers)
            except RequestRefused as refused:
                await _problem(scope, refused)(scope, receive, send_wrapper)
                return
            await self.app(scope, receive, send_wrapper)
        finally:
            self._log(scope, request_id, outcome["status"], started)

    def _check_target(self, scope: Scope) -> None:
        raw_path: bytes = scope.get("raw_path") or scope.get("path", "").encode()
        query: bytes = scope.get("query_string", b"")
        if b"\x00" in unquote_to_bytes(raw_path) or b"\x00" in unquote_to_bytes(query):
            raise RequestRefused(400, "Bad Request", "bad-request", NUL_DETAIL)

    async def _read_body(self, scope: Scope, headers: Headers, receive: Receive) -> bytes | None:
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

    def _check_token(self, scope: Scope, headers: Headers) -> None:
        """On an authenticated path, a bearer token whose signature and claims hold."""
        path: str = scope.get("path", "")
        if (
            not path.startswith("/api/")
            or path.startswith(self.public_paths)
            or scope["method"] == "OPTIONS"
        ):
            return
        codec = scope["app"].state.tokens
        scheme, _, token = headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise RequestRefused(
                401,
                "Unauthorized",
                "unauthorized",
                "Authentication required: send 'Authorization: Bearer <token>'",
                **{"WWW-Authenticate": "Bearer"},
            )
        try:
            scope["state"]["claims"] = codec.decode(token)
        except ProblemError as exc:
            raise RequestRefused.of(exc) from None

    def _too_large(self) -> RequestRefused:
        return RequestRefused(
            413,
            "Payload Too Large",
            "payload-too-large",
            f"Request bodies are limited to {self.max_body} bytes",
        )

    def _log(self, scope: Scope, request_id: str, status: int, started: float) -> None:
        if not log.isEnabledFor(logging.INFO):
            return
        state = scope.get("state", {})
        log.info(
            json.dumps(
                {
                    "request_id": request_id,
                    "principal_id": state.get("principal_id"),
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
                ensure_ascii=True,
            )
        )
