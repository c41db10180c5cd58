"""The one problem+json writer (RFC 9457), and the handlers that answer every error with it."""

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from oversight.errors import (
    BY_STATUS,
    PROBLEM_JSON,
    TOKEN_PATH,
    Conflict,
    PreconditionFailed,
    ProblemError,
    Unprocessable,
)
from oversight.web.operations import operations_of

log = logging.getLogger("oversight.errors")


def problem(
    scope: Scope,
    status: int,
    title: str,
    slug: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """Every error the service answers, from a route or from the middleware, is this.

    Under `/taxii2/` the same error is a TAXII 2.1 error message, as TAXII clients expect.
    """
    if scope.get("path", "").startswith(TAXII_PREFIX):
        body, media_type = taxii_error(scope, status, title, slug, detail), TAXII_JSON
    else:
        body = {
            "type": f"/problems/{slug}",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": scope.get("path", ""),
            "request_id": request_id_of(scope),
        }
        body.update(extra or {})
        media_type = PROBLEM_JSON
    return JSONResponse(body, status_code=status, headers=headers, media_type=media_type)


TAXII_PREFIX = "/taxii2/"
TAXII_JSON = "application/taxii+json;version=2.1"


def taxii_error(scope: Scope, status: int, title: str, slug: str, detail: str) -> dict[str, Any]:
    """A TAXII 2.1 error message (`http_status` is a string there); `error_id` is the
    request's id, as in the logs."""
    return {
        "title": title,
        "description": detail,
        "error_id": request_id_of(scope),
        "error_code": slug,
        "http_status": str(status),
    }


def of(scope: Scope, exc: ProblemError) -> JSONResponse:
    return problem(
        scope, exc.status, exc.title, exc.slug, exc.detail, headers=exc.headers, extra=exc.extra
    )


def request_id_of(scope: Scope) -> str | None:
    state = scope.get("state") or {}
    return state.get("request_id")


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return of(request.scope, exc)


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
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        ops = operations_of(request.app).of(request.url.path)
        if ops is not None:
            headers["Allow"] = ", ".join(ops.allowed)
    cls = BY_STATUS.get(exc.status_code)
    title = cls.title if cls else "Error"
    slug = cls.slug if cls else "error"
    detail = exc.detail if isinstance(exc.detail, str) else title
    if exc.status_code == 404:
        detail = "No such resource"
    return problem(request.scope, exc.status_code, title, slug, detail, headers=headers)


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
        return problem(
            request.scope,
            400,
            "Bad Request",
            "oauth-error",
            f"The request is invalid: {fields}",
            extra={"error": "invalid_request", "errors": issues},
        )
    detail = f"The request is invalid: {fields}" if fields else "The request is invalid"
    if issues and all(i["loc"][:1] == ["query"] for i in issues):
        # A malformed query string is a malformed request (a timestamp that is not RFC 3339,
        # a limit out of range): 400, with the same `errors` as a body's 422.
        return problem(
            request.scope, 400, "Bad Request", "bad-request", detail, extra={"errors": issues}
        )
    return problem(
        request.scope,
        422,
        Unprocessable.title,
        Unprocessable.slug,
        detail,
        extra={"errors": issues},
    )


async def _on_stale(request: Request, exc: Exception) -> JSONResponse:
    # Two writers raced on the same version: the loser is told, nothing is overwritten.
    stale = "The resource was changed by someone else meanwhile; read it again and retry"
    return of(request.scope, PreconditionFailed(stale))


async def _on_integrity(request: Request, exc: Exception) -> JSONResponse:
    return of(
        request.scope, Conflict("The request conflicts with the current state of the resource")
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"request_id": request_id_of(request.scope)})
    return problem(
        request.scope, 500, ProblemError.title, ProblemError.slug, "An unexpected error occurred"
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StaleDataError, _on_stale)
    app.add_exception_handler(IntegrityError, _on_integrity)
    app.add_exception_handler(Exception, _on_unexpected)
