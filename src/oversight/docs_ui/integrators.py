"""What a client generator needs beyond the routes: the servers, every response header the
API sends, the 429 and 503 any call may meet, and links from each create to the item's read.
"""

import re
from typing import Any

from oversight.errors import BY_STATUS, PROBLEM_JSON

_PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _header(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "schema": schema or {"type": "string"}}


HEADERS = {
    "X-Request-ID": _header("The request's id (the one sent, when it was well formed)"),
    "ETag": _header('The version of the item, e.g. `"3"`: send it back as `If-Match`'),
    "Link": _header('`<…>; rel="next"` when there is a next page'),
    "Location": _header("Where the new item is read"),
    "Idempotent-Replayed": _header(
        "`true` when this answer replays the first one of the same Idempotency-Key"
    ),
    "Retry-After": _header("Seconds to wait before trying again", {"type": "integer"}),
}


def _schema_of(doc: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    content = response.get("content", {}).get("application/json", {})
    schema = content.get("schema", {})
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _busy(status: int) -> dict[str, Any]:
    return {
        "description": BY_STATUS[status].title,
        "headers": {"Retry-After": HEADERS["Retry-After"], "X-Request-ID": HEADERS["X-Request-ID"]},
        "content": {PROBLEM_JSON: {"schema": _PROBLEM}},
    }


def _headers(doc: dict[str, Any], op: dict[str, Any]) -> None:
    idempotent = any(p.get("name") == "Idempotency-Key" for p in op.get("parameters", []))
    for status, response in op.get("responses", {}).items():
        named = {"X-Request-ID"}
        properties = _schema_of(doc, response).get("properties", {})
        if status.startswith("2"):
            if "next_cursor" in properties:
                named.add("Link")
            if "version" in properties:
                named.add("ETag")
            if status == "201":
                named.add("Location")
                if idempotent:
                    named.add("Idempotent-Replayed")
        if status in ("429", "503"):
            named.add("Retry-After")
        headers = response.setdefault("headers", {})
        headers.update({name: HEADERS[name] for name in sorted(named) if name not in headers})


def _links(doc: dict[str, Any]) -> None:
    """From each create to the read of what it created (`$response.body#/id`)."""
    paths = doc.get("paths", {})
    for path, item in paths.items():
        created = item.get("post", {}).get("responses", {}).get("201")
        if not created:
            continue
        for other, other_item in paths.items():
            match = re.fullmatch(re.escape(path) + r"/\{(\w+)\}", other)
            read = other_item.get("get")
            if match and read:
                created["links"] = {
                    "read": {
                        "operationId": read["operationId"],
                        "parameters": {match.group(1): "$response.body#/id"},
                        "description": "Read what was created",
                    }
                }


def for_integrators(doc: dict[str, Any]) -> None:
    doc["servers"] = [{"url": "/", "description": "This service"}]
    for path, item in doc.get("paths", {}).items():
        for op in item.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            if path.startswith("/api/"):
                op["responses"].setdefault("429", _busy(429))
                op["responses"].setdefault("503", _busy(503))
            _headers(doc, op)
    _links(doc)
