"""Per-request plumbing as plain ASGI: request id, body limit, media type, headers, access log."""

import json
import logging
import re
import time
import uuid
from typing import Any

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oversight.errors import PROBLEM_JSON

log = logging.getLogger("oversight.access")

_VALID_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_JSON_TYPES = ("application/json", "application/merge-patch+json")
_FORM_PATHS = ("/api/v1/auth/",)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _problem(scope: Scope, status: int, title: str, slug: str, detail: str) -> JSONResponse:
    return JSONResponse(
        {
            "type": f"/problems/{slug}",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": scope.get("path", ""),
            "request_id": scope["state"]["request_id"],
        },
        status_code=status,
        media_type=PROBLEM_JSON,
    )


class RequestContextMiddleware:
    """Also admission control: an API request enters only when a database slot is free.

    A request holds its session (a pooled connection and, on SQLite, the write lock) across
    several hops into the threadpool. Were more requests let in than the database can serve,
    the threads would fill with requests waiting for a connection or the lock while the
    holder waits for a thread: a stall. Waiting here, on the event loop, holds nothing.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        db_concurrency: int = 10,
        admission_timeout: float = 30.0,
    ) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.db_concurrency = db_concurrency
        self.admission_timeout = admission_timeout
        self._slots: anyio.Semaphore | None = None

    @property
    def slots(self) -> anyio.Semaphore:
        if self._slots is None:
            self._slots = anyio.Semaphore(self.db_concurrency)
        return self._slots

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
        outcome: dict[str, Any] = {"status": 500, "started": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                outcome["started"] = True
                h = MutableHeaders(scope=message)
                h["X-Request-ID"] = request_id
                h["X-Content-Type-Options"] = "nosniff"
                if path.startswith("/api/") and "cache-control" not in h:
                    h["Cache-Control"] = "no-store"
            await send(message)

        try:
            early = self._refuse_early(scope, headers)
            if early is not None:
                await early(scope, receive, send_wrapper)
            elif "content-length" not in headers and scope["method"] in ("POST", "PUT", "PATCH"):
                # A body of unknown length (chunked) is read here, within the limit, first.
                body = await self._read_limited(receive)
                if body is None:
                    await self._too_large(scope)(scope, receive, send_wrapper)
                else:
                    await self._admitted(scope, _replay(body, receive), send_wrapper)
            elif path.startswith("/api/"):
                await self._admitted(scope, receive, send_wrapper)
            else:
                await self.app(scope, receive, send_wrapper)
        finally:
            self._log(scope, request_id, outcome["status"], started)

    async def _admitted(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            with anyio.fail_after(self.admission_timeout):
                await self.slots.acquire()
        except TimeoutError:
            busy = _problem(
                scope,
                503,
                "Service Unavailable",
                "service-unavailable",
                "The service is busy; retry shortly",
            )
            busy.headers["Retry-After"] = "1"
            await busy(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.slots.release()

    async def _read_limited(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _too_large(self, scope: Scope) -> JSONResponse:
        return _problem(
            scope,
            413,
            "Payload Too Large",
            "payload-too-large",
            f"Request bodies are limited to {self.max_body} bytes",
        )

    def _refuse_early(self, scope: Scope, headers: Headers) -> JSONResponse | None:
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return _problem(
                    scope, 400, "Bad Request", "bad-request", "Content-Length is not a number"
                )
            if int(length) > self.max_body:
                return self._too_large(scope)
        path: str = scope.get("path", "")
        has_body = (length is not None and int(length) > 0) or (
            "chunked" in headers.get("transfer-encoding", "").lower()
        )
        if (
            scope["method"] in ("POST", "PUT", "PATCH")
            and has_body
            and path.startswith("/api/")
            and not path.startswith(_FORM_PATHS)
        ):
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media not in _JSON_TYPES and not media.endswith("+json"):
                return _problem(
                    scope,
                    415,
                    "Unsupported Media Type",
                    "unsupported-media-type",
                    "Send the body as application/json",
                )
        return None

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
