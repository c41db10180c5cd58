"""The house rules the code keeps (docs/architecture.md, "The house"): HTTP stays above the
services, routers and commands only shape, domains import each other one way, files stay
small; and test modules share only through tests/support and the conftest fixtures."""

import ast
from pathlib import Path

import oversight

SRC = Path(oversight.__file__).resolve().parent
TESTS = Path(__file__).resolve().parent
DOMAINS = {
    "agencies",
    "users",
    "service_accounts",
    "bulletins",
    "meetings",
    "actions",
    "reports",
    "board",
    "changes",
    "webhooks",
    "taxii",
}


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_services_and_repositories_know_no_http():
    lower = [
        p for p in _modules() if p.stem in {"service", "repository"} or p.stem.endswith("_service")
    ]
    assert len(lower) >= 12
    offenders = [
        str(p.relative_to(SRC))
        for p in lower
        if any(m.split(".")[0] in {"fastapi", "starlette"} for m in _imports(p))
    ]
    assert offenders == []


def test_routers_execute_no_statement():
    routers = [p for p in _modules() if p.stem == "router" or p.stem.endswith("_router")]
    assert len(routers) >= 12
    offenders = [
        str(p.relative_to(SRC))
        for p in routers
        if "session." in p.read_text() or "select(" in p.read_text()
    ]
    assert offenders == []


def test_cli_commands_execute_no_statement():
    commands = sorted((SRC / "cli").glob("*.py"))
    assert len(commands) >= 10
    offenders = [
        str(p.relative_to(SRC))
        for p in commands
        if "session." in p.read_text() or "select(" in p.read_text()
    ]
    assert offenders == []


def test_auth_queries_live_in_its_repository():
    modules = [p for p in sorted((SRC / "auth").glob("*.py")) if p.stem != "repository"]
    offenders = [
        str(p.relative_to(SRC))
        for p in modules
        if "session.execute(" in p.read_text() or "select(" in p.read_text()
    ]
    assert offenders == []


def _domain_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {d: set() for d in DOMAINS}
    for path in _modules():
        parts = path.relative_to(SRC).parts
        if parts[0] not in DOMAINS:
            continue
        for module in _imports(path):
            names = module.split(".")
            inner = names[0] == "oversight" and len(names) > 1 and names[1] in DOMAINS
            if inner and names[1] != parts[0]:
                graph[parts[0]].add(names[1])
    return graph


def test_domains_import_each_other_one_way():
    graph = _domain_graph()
    seen: set[str] = set()

    def cycle_from(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in seen:
            return None
        seen.add(node)
        for nxt in sorted(graph[node]):
            found = cycle_from(nxt, [*path, node])
            if found:
                return found
        return None

    for start in sorted(graph):
        assert cycle_from(start, []) is None, graph


def test_files_stay_small():
    long = {
        str(p.relative_to(SRC)): n
        for p in _modules()
        if (n := len(p.read_text().splitlines())) > 260
    }
    assert long == {}


def test_no_test_module_imports_another():
    """What tests share lives in tests/support (or, as fixtures, in a conftest.py)."""
    modules = [
        p for p in sorted(TESTS.rglob("*.py")) if "support" not in p.relative_to(TESTS).parts
    ]
    assert len(modules) >= 100
    offenders = {
        str(p.relative_to(TESTS)): sorted(borrowed)
        for p in modules
        if (
            borrowed := {
                m
                for m in _imports(p)
                if m.startswith(".")
                or (m.split(".")[0] == "tests" and m.split(".")[:2] != ["tests", "support"])
            }
        )
    }
    assert offenders == {}
