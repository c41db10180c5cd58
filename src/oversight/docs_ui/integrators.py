"""What a client generator needs beyond the routes: the servers, every response header the
API sends, the 429 and 503 any call may meet, and links from each create, read and list to
every operation on the item.
"""

import re
from typing import Any

from oversight.access.bodies import without_null
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


def _success(op: dict[str, Any]) -> dict[str, Any] | None:
    return next((r for status, r in op.get("responses", {}).items() if status[0] == "2"), None)


def _link(target: dict[str, Any], parameters: dict[str, str], description: str) -> dict[str, Any]:
    return {
        "operationId": target["operationId"],
        "parameters": parameters,
        "description": description,
    }


def _add(response: dict[str, Any] | None, name: str, link: dict[str, Any]) -> None:
    if response is not None:
        response.setdefault("links", {})[name] = link


# Links no path names: (from, to, parameters, description), by operationId.
_FURTHER: list[tuple[str, str, dict[str, str], str]] = [
    (
        "webhooks.test",
        "webhooks.redeliver_delivery",
        {"webhook_id": "$request.path.webhook_id", "delivery_id": "$response.body#/id"},
        "Deliver the test event again",
    ),
    (
        "webhooks.list_deliveries",
        "webhooks.redeliver_delivery",
        {"webhook_id": "$request.path.webhook_id", "delivery_id": "$response.body#/items/0/id"},
        "Deliver the first listed event again",
    ),
    (
        "reports.promote",
        "bulletins.get",
        {"bulletin_id": "$response.body#/id"},
        "The draft bulletin made from the report",
    ),
    (
        "actions.post_update",
        "actions.list_updates",
        {"action_id": "$request.path.action_id"},
        "The action's progress log, this entry in it",
    ),
    (
        "actions.post_update",
        "actions.get",
        {"action_id": "$request.path.action_id"},
        "The action as the entry left it",
    ),
    (
        "bulletins.acknowledge",
        "bulletins.get",
        {"bulletin_id": "$request.path.bulletin_id"},
        "The bulletin acknowledged",
    ),
    *[
        (
            "taxii.collections",
            f"taxii.{target}",
            {"collection_id": "$response.body#/collections/0/id"},
            "The first collection",
        )
        for target in ("collection", "objects", "manifest")
    ],
    *[
        (
            f"taxii.{source}",
            f"taxii.{target}",
            {
                "collection_id": "$request.path.collection_id",
                "object_id": "$response.body#/objects/0/id",
            },
            "The first object on the page",
        )
        for source in ("objects", "manifest")
        for target in ("get_object", "object_versions")
    ],
]


def _links(doc: dict[str, Any]) -> None:
    """From each create, each read and each list to every operation on the item (by its id,
    `$response.body#/id`, the read's own path, or the list's first item), and between the
    operations that name an item no create answers with (webhook deliveries, TAXII objects):
    a client (or a stateful test) follows them from what it made to all it can do with it."""
    paths = doc.get("paths", {})
    ops = {
        op["operationId"]: (path, op)
        for path, item in paths.items()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    for path, item in paths.items():
        created = item.get("post", {}).get("responses", {}).get("201")
        if not created:
            continue
        for other, other_item in paths.items():
            match = re.fullmatch(re.escape(path) + r"/\{(\w+)\}", other)
            if not match:
                continue
            key = match.group(1)
            read = other_item.get("get")
            targets = [
                op
                for target_path, op in ops.values()
                if (target_path == other or target_path.startswith(other + "/"))
                and re.findall(r"\{(\w+)\}", target_path) == [key]
            ]
            listed = item.get("get")
            pages = listed is not None and "items" in _schema_of(doc, _success(listed) or {}).get(
                "properties", {}
            )
            for op in targets:
                name = "read" if op is read else op["operationId"]
                # The version to change, where the operation takes one: the answer's `ETag`.
                tagged = any(p.get("name") == "If-Match" for p in op.get("parameters", []))
                etag = {"If-Match": "$response.header.ETag"} if tagged else {}
                _add(
                    created,
                    name,
                    _link(op, {key: "$response.body#/id", **etag}, "On what was created"),
                )
                if read is not None and op is not read:
                    _add(
                        _success(read),
                        name,
                        _link(op, {key: f"$request.path.{key}", **etag}, "On it"),
                    )
                if pages:
                    version = {"If-Match": '"{$response.body#/items/0/version}"'} if tagged else {}
                    _add(
                        _success(listed),
                        name,
                        _link(
                            op,
                            {key: "$response.body#/items/0/id", **version},
                            "On the first listed",
                        ),
                    )
    for source, target, parameters, description in _FURTHER:
        if source in ops and target in ops:
            link = _link(ops[target][1], parameters, description)
            _add(_success(ops[source][1]), target, link)


def for_integrators(doc: dict[str, Any]) -> None:
    doc["servers"] = [{"url": "/", "description": "This service"}]
    for path, item in doc.get("paths", {}).items():
        for op in item.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            if "428" in op["responses"]:  # answered when If-Match is missing: it is required
                for parameter in op.get("parameters", []):
                    if parameter.get("name") == "If-Match":
                        parameter["required"] = True
                        without_null(parameter["schema"])
                        # A blank If-Match is taken as none sent (428), so a sent one is not.
                        parameter["schema"]["pattern"] = r"\S"
            if path.startswith("/api/"):
                op["responses"].setdefault("429", _busy(429))
                op["responses"].setdefault("503", _busy(503))
            _headers(doc, op)
    _links(doc)
