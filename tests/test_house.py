"""The house rules the code keeps (docs/architecture.md, "The house"): HTTP stays above the
services, routers and commands only shape, the rooms import one another one way, files stay
small; and test modules share only through tests/support and the conftest fixtures."""

import ast
import re
from itertools import pairwise
from pathlib import Path

import oversight

SRC = Path(oversight.__file__).resolve().parent
TESTS = Path(__file__).resolve().parent


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


def _room(parts: tuple[str, ...]) -> str:
    """A module's room: its folder under src/oversight, or its own name at the top."""
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


ROOMS = {_room(p.relative_to(SRC).parts) for p in _modules()} - {"__init__"}


def _targets(node: ast.AST, parts: tuple[str, ...]) -> set[str]:
    """The rooms an import statement in the module at `parts` reaches (`from oversight import
    x` reaches room x; a relative import is read as the absolute one it stands for)."""
    names: list[str] = []
    if isinstance(node, ast.ImportFrom) and node.level:
        package = ["oversight", *parts[:-1]][: len(parts) + 1 - node.level]
        module = ".".join([*package, *filter(None, [node.module])])
        node = ast.ImportFrom(module=module, names=node.names, level=0)
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        if node.module == "oversight":
            names = [alias.name for alias in node.names]
        elif node.module.startswith("oversight."):
            names = [node.module.split(".")[1]]
    elif isinstance(node, ast.Import):
        names = [a.name.split(".")[1] for a in node.names if a.name.startswith("oversight.")]
    return {n for n in names if n in ROOMS}


def _house_graph() -> dict[str, set[str]]:
    """Room -> the rooms its modules import (deferred imports inside functions count too)."""
    graph: dict[str, set[str]] = {room: set() for room in ROOMS}
    for path in _modules():
        parts = path.relative_to(SRC).parts
        room = _room(parts)
        if room == "__init__":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            graph[room] |= _targets(node, parts) - {room}
    return graph


def _importers(room: str, target: str) -> list[str]:
    """The modules of `room` that import `target`."""
    return [
        str(path.relative_to(SRC))
        for path in _modules()
        if _room(path.relative_to(SRC).parts) == room
        and any(
            target in _targets(node, path.relative_to(SRC).parts)
            for node in ast.walk(ast.parse(path.read_text()))
        )
    ]


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph` as a path that returns to its start, or None."""
    done: set[str] = set()

    def walk(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for nxt in sorted(graph[node]):
            found = walk(nxt, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = walk(start, [])
        if found:
            return found
    return None


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_relative_imports_count_as_the_absolute_ones():
    def reached(code: str, parts: tuple[str, ...]) -> set[str]:
        return _targets(ast.parse(code).body[0], parts)

    assert reached("from ..auth import principal", ("access", "x.py")) == {"auth"}
    assert reached("from .. import db", ("access", "x.py")) == {"db"}
    assert reached("from . import errors", ("main.py",)) == {"errors"}
    assert reached("from .names import lookup", ("access", "x.py")) == {"access"}


def test_the_house_imports_one_way():
    """Every folder (and top-level module) under src/oversight, not only the domains: the
    rooms import one another without a cycle, so each can be read knowing only those below."""
    graph = _house_graph()
    assert {"db", "web", "auth", "access", "audit", "docs_ui", "bulletins"} <= set(graph)
    cycle = _cycle(graph)
    assert cycle is None, (
        "import cycle: "
        + " -> ".join(cycle or [])
        + "".join(
            f"\n  {a} -> {b}: {', '.join(_importers(a, b))}" for a, b in pairwise(cycle or [])
        )
    )


def _mapped_rooms() -> list[str]:
    """The rooms in the order the house map at the top of docs/architecture.md lists them."""
    text = (TESTS.parent / "docs" / "architecture.md").read_text()
    block = text.split("## The house", 1)[1].split("```")[1]
    order: list[str] = []
    for line in block.splitlines()[2:]:
        if line.startswith("  ") and not line.startswith("   "):
            for name in re.findall(r"(?<!\S)([a-z_]+)(?:/|\.py)(?!\S)", line):
                if name in ROOMS and name not in order:
                    order.append(name)
    return order


def test_the_house_map_lists_each_room_below_what_it_imports():
    """The map in docs/architecture.md stays true: every room is on it, and each imports only
    rooms listed above it."""
    order = _mapped_rooms()
    assert sorted(order) == sorted(ROOMS)
    graph = _house_graph()
    misplaced = {
        room: sorted(graph[room] - set(order[:i]))
        for i, room in enumerate(order)
        if graph[room] - set(order[:i])
    }
    assert misplaced == {}


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
