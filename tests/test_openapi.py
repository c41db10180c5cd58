"""The committed OpenAPI document is the app's own, and every operation says who may call it
and how it fails."""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oversight.cli.openapi import render
from oversight.errors import PROBLEM_JSON

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
# The OAuth2 endpoints authenticate by what their form carries (credentials, a refresh token).
CREDENTIAL_ENDPOINTS = {("post", "/api/v1/auth/token"), ("post", "/api/v1/auth/revoke")}
# Public operations live under this prefix, or declare `security: []` explicitly.
PUBLIC_PREFIX = "/api/v1/public/"
# An operation that needs a token but no particular scope must say so in its description.
ANY_PRINCIPAL = re.compile(r"any authenticated (principal|user)", re.IGNORECASE)

Operation = tuple[str, str, dict[str, Any]]


@pytest.fixture
def schema(app) -> dict[str, Any]:
    return app.openapi()


def api_operations(schema: dict[str, Any]) -> Iterator[Operation]:
    for path, item in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, op in item.items():
            if method in METHODS:
                yield method, path, op


def _summary_of_drift(committed: str, fresh: str) -> str:
    try:
        old = json.loads(committed)
    except ValueError:
        return "the committed file is missing or not JSON"
    new = json.loads(fresh)
    lines = []
    for path in sorted(set(old.get("paths", {})) | set(new["paths"])):
        before, after = old.get("paths", {}).get(path), new["paths"].get(path)
        if before != after:
            state = "added" if before is None else "removed" if after is None else "changed"
            lines.append(f"  {path}: {state}")
    if old.get("components") != new.get("components"):
        lines.append("  components: changed")
    return "\n".join(lines) or "  formatting or top-level fields differ"


def test_committed_schema_matches_the_app(app):
    fresh = render(app)
    committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
    if committed != fresh:
        pytest.fail(
            "openapi/openapi.json is out of date with the application: run `make openapi` "
            "and commit the result.\n" + _summary_of_drift(committed, fresh),
            pytrace=False,
        )


def test_every_api_operation_declares_who_may_call_it(schema):
    schemes = schema["components"]["securitySchemes"]
    known_scopes = {
        scope
        for scheme in schemes.values()
        for flow in scheme.get("flows", {}).values()
        for scope in flow.get("scopes", {})
    }
    problems = []
    for method, path, op in api_operations(schema):
        label = f"{method.upper()} {path}"
        if (method, path) in CREDENTIAL_ENDPOINTS:
            continue
        security = op.get("security")
        if path.startswith(PUBLIC_PREFIX):
            if security not in (None, []):
                problems.append(f"{label}: under {PUBLIC_PREFIX} but asks for a token")
            continue
        if security is None:
            problems.append(
                f"{label}: no security requirement (depend on a scope alias; a public "
                f"operation goes under {PUBLIC_PREFIX} or declares openapi_extra="
                "{'security': []})"
            )
            continue
        if security == []:  # explicitly public
            continue
        for requirement in security:
            for name, scopes in requirement.items():
                if name not in schemes:
                    problems.append(f"{label}: unknown security scheme {name!r}")
                elif not set(scopes) <= known_scopes:
                    problems.append(f"{label}: unknown scopes {sorted(set(scopes) - known_scopes)}")
                elif not scopes and not ANY_PRINCIPAL.search(op.get("description", "")):
                    problems.append(
                        f"{label}: needs no scope; say 'Any authenticated principal' (or "
                        "user) in its description if that is intended"
                    )
    assert not problems, "\n".join(problems)


def test_every_api_operation_declares_its_problem_responses(schema):
    problems = []
    for method, path, op in api_operations(schema):
        declared = [
            status
            for status, response in op.get("responses", {}).items()
            if status.startswith("4") and PROBLEM_JSON in response.get("content", {})
        ]
        if not declared:
            problems.append(f"{method.upper()} {path}: declares no 4xx {PROBLEM_JSON} response")
    assert not problems, "\n".join(problems)


def test_the_operations_are_found(schema):
    """Guards the checks above against passing vacuously."""
    found = {(m, p) for m, p, _ in api_operations(schema)}
    assert ("get", "/api/v1/me") in found
    assert found >= CREDENTIAL_ENDPOINTS
