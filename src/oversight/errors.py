"""Typed errors raised by services; `web.problems` renders them, once, as RFC 9457
problem+json."""

from typing import Any

from pydantic import BaseModel, ConfigDict

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


class NotAcceptable(ProblemError):
    status, title, slug = 406, "Not Acceptable", "not-acceptable"


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
