"""Error samples a reader can trust: each error response of each operation shows a whole
problem+json body as the API writes it (`web/problems.py`), not a generated `"string"`.
"""

import re
from typing import Any

from oversight.auth.grants import BAD_CLIENT, BAD_LOGIN
from oversight.auth.principal import TOKEN_URL
from oversight.errors import BY_STATUS, PROBLEM_JSON

SAMPLE_ID = "5f0c6a57-3e1b-4c8e-9d2a-7b6e1f4a9c30"
SAMPLE_REQUEST_ID = "3f6d2c1be0a94f0c8d7e5b4a1c2d3e4f"
_PATH_PARAMETER = re.compile(r"\{[^}]+\}")

# What each status says, in the words the service uses.
DETAILS = {
    400: "The request is invalid: query.updated_after",
    401: "Missing or invalid access token",
    403: "This operation needs a scope or role your token does not have",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Accept application/taxii+json;version=2.1",
    408: "The request body did not arrive in time",
    409: "The change conflicts with the current state of the item",
    412: 'The item changed since you read it: If-Match "2" is not its version "3"',
    413: "The body is larger than 1 MiB",
    415: "Send Content-Type: application/json",
    422: "The request is invalid: body.title",
    428: "This change needs If-Match: read the item and send its ETag",
    429: "Too many attempts; try again after Retry-After seconds",
    503: "The service is busy; try again after Retry-After seconds",
}
_ISSUES = {
    400: [
        {
            "loc": ["query", "updated_after"],
            "msg": "Input should be a valid datetime",
            "type": "datetime_from_date_parsing",
        }
    ],
    422: [{"loc": ["body", "title"], "msg": "Field required", "type": "missing"}],
}


# The token endpoint refuses in RFC 6749's terms (§5.2): `error` holds the OAuth code.
_OAUTH = {400: ("invalid_grant", BAD_LOGIN), 401: ("invalid_client", BAD_CLIENT)}


def problem_sample(status: int, path: str) -> dict[str, Any]:
    """The body the API answers with `status` on `path`, as a sample."""
    error = BY_STATUS[status]
    slug, detail, oauth = error.slug, DETAILS[status], None
    if path == TOKEN_URL and status in _OAUTH:
        oauth, detail = _OAUTH[status]
        slug = "oauth-error"
    body: dict[str, Any] = {
        "type": f"/problems/{slug}",
        "title": error.title,
        "status": status,
        "detail": detail,
        "instance": _PATH_PARAMETER.sub(SAMPLE_ID, path),
        "request_id": SAMPLE_REQUEST_ID,
    }
    if oauth is not None:
        body["error"] = oauth
    elif status in _ISSUES:
        body["errors"] = _ISSUES[status]
    return body


def taxii_error_sample(status: int) -> dict[str, Any]:
    """The TAXII 2.1 error message the feed answers with `status` (its errors are not
    problem+json: TAXII clients read this shape)."""
    return {
        "title": BY_STATUS[status].title,
        "description": DETAILS[status],
        "error_id": SAMPLE_REQUEST_ID,
        "http_status": str(status),
    }


def problem_samples(doc: dict[str, Any]) -> None:
    """A sample (OpenAPI `example`) on every problem+json response, and on every TAXII
    error, that has none."""
    for path, item in doc.get("paths", {}).items():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for status, response in op.get("responses", {}).items():
                if path.startswith("/taxii2/") and status.isdigit() and int(status) in BY_STATUS:
                    for taxii in response.get("content", {}).values():
                        taxii.setdefault("example", taxii_error_sample(int(status)))
                    continue
                media = response.get("content", {}).get(PROBLEM_JSON)
                if media is None or "example" in media or "examples" in media:
                    continue
                if status.isdigit() and int(status) in BY_STATUS:
                    media["example"] = problem_sample(int(status), path)
