"""Samples in the schema as a reader expects them: fields in the model's order, nulls shown.

Pydantic sorts the keys of schema samples alphabetically, and FastAPI drops every null from
the document, so `"withdrawn_at": null` would vanish from a bulletin's sample although the
API always sends it. Each sample is walked with its schema: keys follow the properties, and
a required nullable property the sample lacks (it can only have been null) is put back.
"""

from typing import Any

Node = dict[str, Any]


def _resolve(doc: Node, node: Node) -> Node:
    while "$ref" in node:
        node = doc["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _branches(doc: Node, node: Node) -> list[Node]:
    node = _resolve(doc, node)
    return [node] + [_resolve(doc, b) for b in node.get("anyOf", []) + node.get("oneOf", [])]


def _nullable(node: Node) -> bool:
    return node.get("type") == "null" or any(b.get("type") == "null" for b in node.get("anyOf", []))


def tidy(doc: Node, node: Node, value: Any) -> Any:
    """`value` with its objects' keys in schema order and their missing nulls restored."""
    if isinstance(value, dict):
        obj = next((b for b in _branches(doc, node) if "properties" in b), None)
        if obj is None:
            return value
        props: dict[str, Node] = obj["properties"]
        out = {}
        for name, sub in props.items():
            if name in value:
                out[name] = tidy(doc, sub, value[name])
            elif name in obj.get("required", []) and _nullable(sub):
                out[name] = None
        return out | {k: v for k, v in value.items() if k not in props}
    if isinstance(value, list):
        items = next((b["items"] for b in _branches(doc, node) if "items" in b), None)
        return [tidy(doc, items, v) for v in value] if items is not None else value
    return value


def _media(doc: Node) -> list[Node]:
    found = []
    for item in doc.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            bodies = [op.get("requestBody", {}), *op.get("responses", {}).values()]
            found.extend(m for body in bodies for m in body.get("content", {}).values())
    return found


def tidy_samples(doc: Node) -> None:
    """Tidy every sample of the document (OpenAPI `example` and `examples`): on component
    schemas and on media types."""
    for schema in doc.get("components", {}).get("schemas", {}).values():
        if isinstance(schema.get("examples"), list):
            schema["examples"] = [tidy(doc, schema, e) for e in schema["examples"]]
    for media in _media(doc):
        node = media.get("schema", {})
        if "example" in media:
            media["example"] = tidy(doc, node, media["example"])
        for sample in media.get("examples", {}).values():
            if "value" in sample:
                sample["value"] = tidy(doc, node, sample["value"])
