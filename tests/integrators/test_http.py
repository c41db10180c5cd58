"""Contract §12's HTTP semantics: strict query strings, agency slugs, HEAD, Allow, the
addresses a person types, problem types that resolve."""

import ast
import re
from html import escape
from pathlib import Path

import pytest

import oversight
from oversight.docs_ui.problems import PROBLEMS
from oversight.errors import ProblemError
from tests.support.bulletins import API as BULLETINS
from tests.support.bulletins import create


def test_an_unknown_query_parameter_is_400_naming_it(client, factory, auth):
    h = auth(factory.user())
    r = client.get(BULLETINS, params={"categroy": "ransomware"}, headers=h)
    assert r.status_code == 400 and "categroy" in r.json()["detail"]
    r = client.get("/api/v1/actions", params={"rag": "red"}, headers=h)
    assert r.status_code == 400 and "rag" in r.json()["detail"]


@pytest.mark.parametrize("value", ["0.5", "1700000000", "2026-01-01", "yesterday"])
def test_timestamps_are_rfc3339_only(client, factory, auth, value):
    r = client.get(BULLETINS, params={"updated_after": value}, headers=auth(factory.user()))
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["loc"] == ["query", "updated_after"]


def test_agency_filters_take_a_slug_or_an_id(client, factory, auth):
    agency = factory.agency(slug="north-rocu")
    editor = factory.user(agency, roles=["editor"])
    b = create(client, auth(editor), tlp="GREEN")
    admin = factory.user(agency, roles=["admin", "auditor"])
    for ref in ("north-rocu", str(agency.id)):
        got = client.get(BULLETINS, params={"agency_id": ref}, headers=auth(editor)).json()
        assert [i["id"] for i in got["items"]] == [b["id"]]
        users = client.get("/api/v1/users", params={"agency_id": ref}, headers=auth(admin))
        assert {u["id"] for u in users.json()["items"]} == {str(editor.id), str(admin.id)}
    none = client.get(BULLETINS, params={"agency_id": "no-such-agency"}, headers=auth(editor))
    assert none.status_code == 200 and none.json()["items"] == []
    bad = client.get(BULLETINS, params={"agency_id": "Not A Slug!"}, headers=auth(editor))
    assert bad.status_code == 400


def test_every_get_answers_head(client, factory, auth):
    r = client.head("/healthz")
    assert r.status_code == 200 and r.content == b""
    h = auth(factory.user())
    full = client.get(BULLETINS, headers=h)
    head = client.head(BULLETINS, headers=h)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == full.headers["content-type"]


def test_405_lists_every_allowed_method(client, factory, auth):
    r = client.delete(BULLETINS, headers=auth(factory.user()))
    assert r.status_code == 405
    assert set(r.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_the_addresses_a_person_types(client):
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 307 and home.headers["location"] == "/docs"
    index = client.get("/api/v1")
    assert index.status_code == 200
    assert index.json()["collections"]["bulletins"] == "/api/v1/bulletins"


SRC = Path(oversight.__file__).parent
# Where a problem's slug is given: `problem(scope, status, title, slug, …)` and
# `RequestRefused(status, title, slug, …)` (its index among the positional arguments).
SLUG_ARGUMENT = {"problem": 3, "RequestRefused": 2}
SLUG = re.compile(r"[a-z]+(-[a-z]+)*")


def _slugs_in_source() -> set[str]:
    """Every problem slug written as a literal in the package: a call's slug argument, or a
    value given to a name or attribute `slug` (alone or in a tuple)."""
    found: set[str] = set()

    def targets(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Name):
            return [node.id]
        if isinstance(node, ast.Attribute):
            return [node.attr]
        return []

    def given(target: ast.AST, value: ast.AST) -> None:
        if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
            for t, v in zip(target.elts, value.elts, strict=False):
                given(t, v)
            return
        if "slug" not in targets(target):
            return
        for node in ast.walk(value):
            if isinstance(node, ast.Constant) and SLUG.fullmatch(str(node.value)):
                found.add(node.value)

    for path in SRC.rglob("*.py"):
        text = path.read_text()
        if not any(word in text for word in ("ProblemError", "RequestRefused", "problem(")):
            continue  # no problem is made here (an agency's slug is another thing)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    given(target, node.value)
            elif isinstance(node, ast.Call):
                name = (targets(node.func) or [""])[0]
                at = SLUG_ARGUMENT.get(name)
                if at is not None and len(node.args) > at:
                    given(ast.Name("slug"), node.args[at])
                for kw in node.keywords:
                    if kw.arg == "slug" and kw.value is not None:
                        given(ast.Name("slug"), kw.value)
    return found


def _subclasses(cls: type) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in {direct, *_subclasses(direct)}}


def test_every_problem_type_resolves_to_a_page(app, client, factory, auth):
    emitted = {cls.slug for cls in _subclasses(ProblemError)} | _slugs_in_source()
    emitted |= {ProblemError.slug}
    assert {"not-found", "oauth-error", "bad-request", "error", "internal-error"} <= emitted
    for slug in sorted(emitted):
        page = client.get(f"/problems/{slug}")
        assert page.status_code == 200, f"/problems/{slug} has no page"
        assert page.headers["content-type"].startswith("text/html")
        title, meaning, _ = PROBLEMS[slug]
        assert f"<h1>{escape(title)}</h1>" in page.text and escape(meaning) in page.text
    assert set(PROBLEMS) == emitted  # and no page for a type never answered

    r = client.get(
        f"{BULLETINS}/00000000-0000-4000-8000-000000000000", headers=auth(factory.user())
    )
    assert client.get(r.json()["type"]).status_code == 200  # as a client follows it
    assert client.get("/problems/no-such-problem").status_code == 404
