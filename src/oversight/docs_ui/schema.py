"""Touches to the generated OpenAPI document that make it read as a handbook and stay true."""

import json
from typing import Any

from fastapi import FastAPI

from oversight.docs_ui.handbook import TAG_GROUPS
from oversight.docs_ui.integrators import for_integrators
from oversight.docs_ui.problem_samples import problem_samples
from oversight.docs_ui.tidy import tidy_samples
from oversight.errors import PROBLEM_JSON

_FASTAPI_VALIDATION = "#/components/schemas/HTTPValidationError"
_PROBLEM = "#/components/schemas/Problem"
OTHER_GROUP = "Other"


def _problem_422(schema: dict[str, Any]) -> None:
    """FastAPI documents its own 422 body; ours is a problem+json, so say that instead.

    TAXII operations take no body and answer a malformed query 400: they have no 422.
    """
    for path, item in schema.get("paths", {}).items():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            if path.startswith("/taxii2/"):
                op.get("responses", {}).pop("422", None)
                continue
            response = op.get("responses", {}).get("422")
            content = (response or {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if ref == _FASTAPI_VALIDATION:
                response["description"] = "Unprocessable Content"
                response["content"] = {PROBLEM_JSON: {"schema": {"$ref": _PROBLEM}}}
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        if f'"#/components/schemas/{name}"' not in json.dumps(schema):
            components.pop(name, None)


def _tag_groups(schema: dict[str, Any]) -> None:
    """ReDoc's side menu, in groups; a tag left out of every group still shows, under Other."""
    used: list[str] = []
    for item in schema.get("paths", {}).values():
        for op in item.values():
            if isinstance(op, dict):
                used.extend(t for t in op.get("tags", []) if t not in used)
    grouped = {tag for group in TAG_GROUPS for tag in group["tags"]}
    groups = [{"name": g["name"], "tags": [t for t in g["tags"] if t in used]} for g in TAG_GROUPS]
    leftovers = [t for t in used if t not in grouped]
    if leftovers:
        groups.append({"name": OTHER_GROUP, "tags": leftovers})
    schema["x-tagGroups"] = [g for g in groups if g["tags"]]


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        op
        for item in schema.get("paths", {}).values()
        for op in item.values()
        if isinstance(op, dict) and "responses" in op
    ]


def _scope_notes(schema: dict[str, Any]) -> None:
    """Say in each operation's description what it needs, from its one source: the route's
    security dependency (so the handbook can never disagree with what is enforced)."""
    for op in _operations(schema):
        security = op.get("security")
        if not security:
            continue
        scopes = sorted({s for req in security for scopes in req.values() for s in scopes})
        text = op.get("description", "")
        if scopes:
            missing = [s for s in scopes if f"`{s}`" not in text]
            if not missing:
                continue
            note = "**Scope:** " + ", ".join(f"`{s}`" for s in scopes) + "."
        elif "any authenticated" in text.lower():
            continue
        else:
            note = "**Scope:** none beyond a valid token (any authenticated principal)."
        op["description"] = f"{text}\n\n{note}".strip()


def _errors_are_problems(schema: dict[str, Any]) -> None:
    """Error responses are problem+json only (FastAPI also lists application/json)."""
    for op in _operations(schema):
        for status, response in op.get("responses", {}).items():
            content = response.get("content", {})
            if status[:1] in "45" and PROBLEM_JSON in content:
                content.pop("application/json", None)


def _one_type_parameters(schema: dict[str, Any]) -> None:
    """An optional parameter reads as its type (`string`), not `string | null`: leaving it
    out is how a caller says "none", and the API never takes a literal null in a query."""
    for item in schema.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for parameter in op.get("parameters", []):
                node = parameter.get("schema", {})
                branches = node.get("anyOf", [])
                kept = [b for b in branches if b.get("type") != "null"]
                if len(kept) == 1 and len(branches) == 2 and not parameter.get("required"):
                    del node["anyOf"]
                    node.update({k: v for k, v in kept[0].items() if k not in node})
                    if node.get("default", 0) is None:
                        del node["default"]


def refine(schema: dict[str, Any]) -> dict[str, Any]:
    _errors_are_problems(schema)
    _scope_notes(schema)
    _problem_422(schema)
    _tag_groups(schema)
    for_integrators(schema)
    problem_samples(schema)
    _one_type_parameters(schema)
    tidy_samples(schema)
    return schema


def install_schema(app: FastAPI) -> None:
    """Wrap the app's schema builder; the result is cached as FastAPI caches its own."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = refine(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
