"""The operations the app documents, indexed by path: what the middleware checks a request
against before routing it (unknown query parameters, the methods a path allows, HEAD).

Built once from the app's own OpenAPI document, so it can never disagree with it.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import Scope

METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True, slots=True)
class PathOps:
    template: str
    pattern: re.Pattern[str]
    # method (upper case) -> the query parameters it takes
    queries: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def allowed(self) -> list[str]:
        methods = list(self.queries)
        if "GET" in methods:
            methods.append("HEAD")
        return [*methods, "OPTIONS"]


class Operations:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    @cached_property
    def paths(self) -> list[PathOps]:
        out = []
        for template, item in self.document.get("paths", {}).items():
            regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            queries = {
                method.upper(): frozenset(
                    p["name"] for p in op.get("parameters", []) if p.get("in") == "query"
                )
                for method, op in item.items()
                if method in METHODS
            }
            out.append(PathOps(template, re.compile(f"^{regex}$"), queries))
        return out

    def of(self, path: str) -> PathOps | None:
        for ops in self.paths:
            if ops.pattern.match(path):
                return ops
        return None

    def unknown_query(self, scope: Scope, method: str) -> list[str]:
        """Query parameters the operation does not take (a typo must not widen a sync)."""
        ops = self.of(scope.get("path", ""))
        if ops is None or method not in ops.queries:
            return []
        given = {k for k, _ in parse_qsl(scope.get("query_string", b"").decode("latin-1"), True)}
        return sorted(given - ops.queries[method])


def operations_of(app: Any) -> Operations:
    found = getattr(app.state, "operations", None)
    if found is None:
        found = app.state.operations = Operations(app.openapi())
    return found
