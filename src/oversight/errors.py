"""Typed errors raised by services; `web.problems` renders them, once, as RFC 9457
problem+json."""

from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ConfigDict

PROBLEM_JSON = "application/problem+json"
TOKEN_PATH = "/api/v1/auth/token"


class ProblemError(Exception):
    """An error answered as problem+json. A subclass names its status (`status=404`); its
    title is then the status's phrase and its slug (`/problems/<slug>`) the title in lower
    case with hyphens, unless it names them too."""

    status: int = 500
    title: str = "Internal Server Error"
    slug: str = "internal-error"

    def __init_subclass__(
        cls, status: int | None = None, title: str | None = None, slug: str | None = None, **kw: Any
    ) -> None:
        super().__init_subclass__(**kw)
        if status is None:  # as its base, or as its own body says
            return
        cls.status = status
        cls.title = title or HTTPStatus(status).phrase
        cls.slug = slug or cls.title.lower().replace(" ", "-")

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


class BadRequest(ProblemError, status=400): ...


class Unauthorized(ProblemError, status=401):
    def __init__(self, detail: str = "Missing or invalid access token", **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kw)


class Forbidden(ProblemError, status=403): ...


class NotFound(ProblemError, status=404): ...


class MethodNotAllowed(ProblemError, status=405): ...


class NotAcceptable(ProblemError, status=406): ...


class RequestTimeout(ProblemError, status=408): ...


class Conflict(ProblemError, status=409): ...


class PreconditionFailed(ProblemError, status=412): ...


class PayloadTooLarge(ProblemError, status=413, title="Payload Too Large"): ...


class UnsupportedMediaType(ProblemError, status=415): ...


class Unprocessable(
    ProblemError, status=422, title="Unprocessable Content", slug="validation-error"
):
    @classmethod
    def for_field(cls, field: str, msg: str, kind: str = "value_error") -> "Unprocessable":
        """A 422 about one body field, shaped like a validation error of the framework."""
        return cls(
            f"{field}: {msg}",
            extra={"errors": [{"loc": ["body", field], "msg": msg, "type": kind}]},
        )


class PreconditionRequired(ProblemError, status=428): ...


class TooManyRequests(ProblemError, status=429): ...


class ServiceUnavailable(ProblemError, status=503): ...


BY_STATUS: dict[int, type[ProblemError]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        NotAcceptable,
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


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the error statuses a route can answer."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        cls = BY_STATUS[status]
        out[status] = {
            "model": Problem,
            "description": cls.title,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    return out
