"""Typed errors raised by services, rendered once as RFC 9457 problem+json."""

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("oversight.errors")

PROBLEM_JSON = "application/problem+json"
TOKEN_PATH = "/api/v1/auth/token"


class ProblemError(Exception):
    status: int = 500
    title: str = "Internal Server Error"
    slug: str = "internal-error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers or {}
        self.extra = extra or {}


class BadRequest(ProblemError):
    status, title, slug = 400, "Bad Request", "bad-request"


class Unauthorized(ProblemError):
    status, title, slug = 401, "Unauthorized", "unauthorized"

    def __init__(self, detail: str = "Missing or invalid access token", **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kw)


class Forbidden(ProblemError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(ProblemError):
    status, title, slug = 404, "Not Found", "not-found"


class MethodNotAllowed(ProblemError):
    status, title, slug = 405, "Method Not Allowed", "method-not-allowed"


class RequestTimeout(ProblemError):
    status, title, slug = 408, "Request Timeout", "request-timeout"


class Conflict(ProblemError):
    status, title, slug = 409, "Conflict", "conflict"


class PreconditionFailed(ProblemError):
    status, title, slug = 412, "Precondition Failed", "precondition-failed"


class PayloadTooLarge(ProblemError):
    status, title, slug = 413, "Payload Too Large", "payload-too-large"


class UnsupportedMediaType(ProblemError):
    status, title, slug = 415, "Unsupported Media Type", "unsupported-media-type"


class Unprocessable(ProblemError):
    status, title, slug = 422, "Unprocessable Content", "validation-error"

    @classmethod
    def for_field(cls, field: str, msg: str, kind: str = "value_error") -> "Unprocessable":
        """A 422 about one body field, shaped like a validation error of the framework."""
        return cls(
            f"{field}: {msg}",
            extra={"errors": [{"loc": ["body", field], "msg": msg, "type": kind}]},
        )


class PreconditionRequired(ProblemError):
    status, title, slug = 428, "Precondition Required", "precondition-required"


class TooManyRequests(ProblemError):
    status, title, slug = 429, "Too Many Requests", "too-many-requests"


class ServiceUnavailable(ProblemError):
    status, title, slug = 503, "Service Unavailable", "service-unavailable"


_BY_STATUS: dict[int, type[ProblemError]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        RequestTimeout,
        Conflict,
        PreconditionFailed,
        PayloadTooLarge,
        UnsupportedMediaType,
        Unprocessable,
        PreconditionRequired,
        TooManyRequests,
        ServiceUnavailable,
    )
}


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of the API is answered."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None = None
    errors: list[ValidationIssue] | None = None
    error: str | None = None


def problem_response(
    request: Request,
    status: int,
    title: str,
    slug: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": request_id_of(request.scope),
    }
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def request_id_of(scope: dict[str, Any]) -> str | None:
    state = scope.get("state") or {}
    return state.get("request_id")


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the error statuses a route can answer."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        cls = _BY_STATUS[status]
        out[status] = {
            "model": Problem,
            "description": cls.title,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    return out


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        request, exc.status, exc.title, exc.slug, exc.detail, headers=exc.headers, extra=exc.extra
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI's bare 400 for a JSON body that is not UTF-8: the same client error as
        # malformed JSON, so it gets the same 422 answer.
        return await _on_validation(
            request,
            RequestValidationError(
                [{"loc": ("body",), "msg": "JSON decode error", "type": "json_invalid"}]
            ),
        )
    cls = _BY_STATUS.get(exc.status_code)
    title = cls.title if cls else "Error"
    slug = cls.slug if cls else "error"
    detail = exc.detail if isinstance(exc.detail, str) else title
    if exc.status_code == 404:
        detail = "No such resource"
    return problem_response(
        request, exc.status_code, title, slug, detail, headers=dict(exc.headers or {})
    )


def _clean_loc(loc: Sequence[Any]) -> list[str | int]:
    return [p if isinstance(p, int) else str(p) for p in loc]


def _described(issue: dict[str, Any]) -> str:
    """The field's path; for the project's own checks (which never echo input) their reason."""
    where = ".".join(str(p) for p in issue["loc"])
    if issue["type"] == "value_error":
        return f"{where} ({str(issue['msg']).removeprefix('Value error, ')})"
    return where


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Never echo the input: it may hold a password.
    issues = [
        {"loc": _clean_loc(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    fields = ", ".join(_described(i) for i in issues[:5])
    if request.url.path == TOKEN_PATH:
        # The token endpoint answers in RFC 6749's terms (§5.2): a malformed request.
        return problem_response(
            request,
            400,
            "Bad Request",
            "oauth-error",
            f"The request is invalid: {fields}",
            extra={"error": "invalid_request", "errors": issues},
        )
    return problem_response(
        request,
        422,
        Unprocessable.title,
        Unprocessable.slug,
        f"The request is invalid: {fields}" if fields else "The request is invalid",
        extra={"errors": issues},
    )


async def _on_stale(request: Request, exc: Exception) -> JSONResponse:
    # Two writers raced on the same version: the loser is told, nothing is overwritten.
    return problem_response(
        request,
        412,
        PreconditionFailed.title,
        PreconditionFailed.slug,
        "The resource was changed by someone else meanwhile; read it again and retry",
    )


async def _on_integrity(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(
        request,
        409,
        Conflict.title,
        Conflict.slug,
        "The request conflicts with the current state of the resource",
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"request_id": request_id_of(request.scope)})
    return problem_response(
        request, 500, ProblemError.title, ProblemError.slug, "An unexpected error occurred"
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StaleDataError, _on_stale)
    app.add_exception_handler(IntegrityError, _on_integrity)
    app.add_exception_handler(Exception, _on_unexpected)
