"""The classification policy (contract §4) against a plain-Python reference of its table.

For random worlds of agencies (some suspended), users of every role, service accounts and
bulletins of every TLP, status and recipient mix: what the SQL filter returns, and what the
list endpoint and the public feed answer, equal what the reference allows. And no module
outside the classified repositories selects a classified model directly.
"""

import ast
import importlib
import pkgutil
import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from sqlalchemy.orm import sessionmaker

import oversight
import oversight.models  # registers every model
from oversight.access.models import Classified
from oversight.access.repository import (
    AggregateRepository,
    ClassifiedRepository,
    PublicRepository,
)
from oversight.audit import recorder
from oversight.bulletins.repository import BulletinRepository
from oversight.bulletins.service import REPRESENTED
from oversight.db.keyset import PageSlice
from oversight.main import create_app
from oversight.representations import pages
from tests.support import governance
from tests.support.world import STATUSES, TLPS, build, token

ROLE_SETS = [
    frozenset(),
    frozenset({"editor"}),
    frozenset({"agency_admin"}),
    frozenset({"admin"}),
    frozenset({"auditor"}),
    frozenset({"editor", "admin"}),
]
SERVICE_SCOPES = [
    frozenset({"bulletins:read"}),
    frozenset({"bulletins:read", "bulletins:write"}),
    # A writer of other things is no editor of bulletins: it must not see their drafts.
    frozenset({"bulletins:read", "meetings:write", "actions:write"}),
    frozenset({"bulletins:read", "reports:read", "reports:write"}),
]


@st.composite
def worlds(draw: st.DrawFn) -> dict:
    n_agencies = draw(st.integers(2, 4))
    active = [
        True,
        *draw(st.lists(st.booleans(), min_size=n_agencies - 1, max_size=n_agencies - 1)),
    ]
    agency = st.integers(0, n_agencies - 1)
    users = draw(st.lists(st.tuples(agency, st.sampled_from(ROLE_SETS)), min_size=1, max_size=7))
    services = draw(st.lists(st.tuples(agency, st.sampled_from(SERVICE_SCOPES)), max_size=3))
    n_people = len(users) + len(services)
    items = []
    for _ in range(draw(st.integers(0, 14))):
        tlp = draw(st.sampled_from(TLPS))
        # A service account never writes RED (the API refuses it).
        author = draw(st.integers(0, len(users) - 1 if tlp == "RED" else n_people - 1))
        spec: dict = {"author": author, "tlp": tlp, "status": draw(st.sampled_from(STATUSES))}
        spec["owner"] = draw(agency)  # the owner agency of the item's action twin
        if tlp in {"AMBER", "AMBER+STRICT"}:
            spec["agencies"] = draw(st.sets(agency, max_size=n_agencies))
        if tlp == "RED":
            spec["users"] = draw(st.sets(st.integers(0, len(users) - 1), max_size=3))
        items.append(spec)
    return {"active": active, "users": users, "services": services, "items": items}


def _listed(client: TestClient, headers: dict[str, str], path: str) -> set[str] | None:
    """Every id of every page, or None when the caller is refused."""
    ids: set[str] = set()
    params: dict[str, object] = {"limit": 4}
    while True:
        r = client.get(path, params=params, headers=headers)
        if r.status_code == 401:
            return None
        assert r.status_code == 200, r.text
        page = r.json()
        new = {b["id"] for b in page["items"]}
        assert not new & ids, "a page repeated an item"
        ids |= new
        if not page["next_cursor"]:
            return ids
        params["cursor"] = page["next_cursor"]


@examples(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=worlds())
def test_sql_filter_and_endpoints_match_the_reference(engine, settings, spec):
    app = create_app(settings, engine)
    recorder.install()
    conn = engine.connect()
    trans = conn.begin()
    try:
        factory = sessionmaker(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        app.state.sessionmaker = factory
        with factory() as session:
            world = build(
                session,
                spec["active"],
                spec["users"],
                spec["services"],
                spec["items"],
                suspend=False,
            )
            for who in world.people:
                expected = {str(i) for i in world.readable(who)}
                repo = BulletinRepository(session, world.principal(who))
                got = {
                    str(i) for i in session.scalars(repo.base().with_only_columns(repo.model.id))
                }
                # A list page's statement, built once for every reader of this one's shape
                # (by whoever read first, in this world or an earlier one), its reader bound.
                rows, _ = repo.page(PageSlice(100), stmt=pages.loading(repo, REPRESENTED))
                if world.active[who.agency]:
                    assert got == expected, (who, spec)
                    assert {str(r.id) for r in rows} == expected, (who, spec)
            # Each bulletin spec also makes a meeting and an action item: same rule, same test.
            gov = governance.build(session, world, spec["items"])
            world.suspend(session)
            session.commit()
            governance.check_sql(session, world, gov)
        with TestClient(app, raise_server_exceptions=False) as client:
            for who in world.people:
                listed = _listed(client, token(app.state.tokens, world, who), "/api/v1/bulletins")
                expected = {str(i) for i in world.readable(who)}
                assert (listed or set()) == expected, (who, spec)
                assert (listed is None) == (not world.active[who.agency])
            headers_of = lambda who: token(app.state.tokens, world, who)  # noqa: E731
            governance.check_http(client, headers_of, _listed, world, gov)
            governance.check_anonymity(client, headers_of, world, gov)
            public = _listed(client, {}, "/api/v1/public/bulletins")
            assert public == {
                str(i.id) for i in world.items if i.tlp == "CLEAR" and i.status == "published"
            }
    finally:
        trans.rollback()
        conn.close()


# No module outside the classified repositories (and access/) selects a classified model.

SRC = Path(oversight.__file__).resolve().parent


def _classified_names() -> set[str]:
    names: set[str] = set()
    todo = list(Classified.__subclasses__())
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _repository_names() -> set[str]:
    """The classes a classified read may live in: the classified, public and aggregate
    repositories and every subclass of them, wherever their module is and whatever it is
    called."""
    for module in pkgutil.walk_packages(oversight.__path__, "oversight."):
        if module.name != "oversight.asgi":  # builds a serving app when imported
            importlib.import_module(module.name)
    return (
        _subclass_names(ClassifiedRepository)
        | _subclass_names(PublicRepository)
        | _subclass_names(AggregateRepository)  # disclosure-controlled counts only
    )


def _subclass_names(base: type) -> set[str]:
    names: set[str] = set()
    todo = [base]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def bypasses(
    source: str, classified: set[str], repositories: frozenset[str] = frozenset()
) -> list[str]:
    """`select(M…)`, `session.get(M, …)`, `session.query(M…)` on a classified model M, outside
    the body of a repository class (a class named in `repositories`)."""
    tree = ast.parse(source)
    names = set(classified)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {a.asname for a in node.names if a.name in classified and a.asname}
    inside = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.name in repositories
        for inner in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in inside:
            continue
        func = node.func
        fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if fname not in {"select", "get", "get_one", "query", "scalars", "execute"}:
            continue
        args = node.args[:1] if fname in {"get", "get_one"} else node.args
        for arg in args:
            if _root_name(arg) in names:
                found.append(f"line {node.lineno}: {fname}({ast.unparse(arg)})")
    return found


def test_only_classified_repositories_select_classified_models():
    classified = _classified_names()
    repositories = frozenset(_repository_names())
    assert {"Bulletin", "Meeting", "ActionItem"} <= classified
    assert {"BulletinRepository", "PublicBulletinRepository"} <= repositories
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.relative_to(SRC).parts[0] == "access":  # the rule itself and its base queries
            continue
        for hit in bypasses(path.read_text(), classified, repositories):
            offenders.append(f"{path.relative_to(SRC)} {hit}")
    assert offenders == []


def test_the_bypass_detector_catches_every_form():
    classified = {"Bulletin"}
    source = (
        "from oversight.bulletins.models import Bulletin as B\n"
        "select(Bulletin)\n"
        "sa.select(B.id)\n"
        "session.get(Bulletin, x)\n"
        "session.query(B).all()\n"
        "select(Agency)\n"
        "session.get(Agency, Bulletin)\n"
    )
    assert len(bypasses(source, classified)) == 4
    assert bypasses(f"x = {uuid.uuid4().int}", classified) == []


def test_the_bypass_detector_knows_repositories_by_class_not_by_file_name():
    """A repository.py file is no licence: only the body of a repository class is."""
    source = (
        "class BulletinRepository(ClassifiedRepository[Bulletin]):\n"
        "    def page(self):\n"
        "        return select(Bulletin)\n"
        "def helper(session):\n"
        "    return session.scalars(select(Bulletin))\n"
        "class Reader:\n"
        "    def read(self, session, id):\n"
        "        return session.get(Bulletin, id)\n"
    )
    hits = bypasses(source, {"Bulletin"}, frozenset({"BulletinRepository"}))
    assert hits == ["line 5: select(Bulletin)", "line 8: get(Bulletin)"]
