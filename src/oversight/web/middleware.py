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

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oversight.errors import ProblemError
from oversight.web.body import BodyReader, RequestRefused, check_target
from oversight.web.operations import operations_of
from oversight.web.problems import problem

log = logging.getLogger("oversight.access")

_VALID_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


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
    return problem(
        scope,
        refused.status,
        refused.title,
        refused.slug,
        refused.detail,
        headers=refused.headers or None,
        extra=refused.extra,
    )


class RequestContextMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        body_timeout: float = 20.0,
        public_paths: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.body = BodyReader(max_body_bytes, body_timeout)
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

        head = scope["method"] == "HEAD"
        if head:  # every GET also answers HEAD: the same answer, without its body
            scope["method"] = "GET"

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                h = MutableHeaders(scope=message)
                h["X-Request-ID"] = request_id
                h["X-Content-Type-Options"] = "nosniff"
                if path.startswith(("/api/", "/taxii2/")) and "cache-control" not in h:
                    h["Cache-Control"] = "no-store"
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            try:
                check_target(scope)
                body = await self.body.read(scope, headers, receive)
                if body is not None:
                    receive = _replay(body, receive)
                self._check_token(scope, headers)
                self._check_query(scope)
            except RequestRefused as refused:
                await _problem(scope, refused)(scope, receive, send_wrapper)
                return
            await self.app(scope, receive, send_wrapper)
        finally:
            self._log(scope, request_id, outcome["status"], started)

    def _check_query(self, scope: Scope) -> None:
        """No query parameter the operation does not take: a typo must not widen a sync."""
        unknown = operations_of(scope["app"]).unknown_query(scope, scope["method"])
        if unknown:
            names = ", ".join(unknown)
            raise RequestRefused(
                400, "Bad Request", "bad-request", f"Unknown query parameter: {names}"
            )

    def _check_token(self, scope: Scope, headers: Headers) -> None:
        """On an authenticated path, a bearer token whose signature and claims hold."""
        path: str = scope.get("path", "")
        if (
            not path.startswith("/api/")
            or path.startswith(self.public_paths)
            or path.rstrip("/") == "/api/v1"  # the index of the API
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
