"""The docs UI is served whole by the app, and the schema reads as a handbook: every operation
is summarised, says who may call it, and declares how it fails."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oversight.docs_ui.assets import OWN_ASSETS, OWN_FILES, REDOC_LOGO, VENDOR_FILES, vendor_dir
from oversight.docs_ui.handbook import DESCRIPTION, TAG_GROUPS, TAGS, TLP_MEANINGS, tlp_label
from oversight.docs_ui.router import CONTENT_SECURITY_POLICY
from oversight.errors import PROBLEM_JSON

METHODS = {"get", "put", "post", "delete", "patch"}
PROBLEM_REF = "#/components/schemas/Problem"
# Operations that cannot fail in a way the caller controls.
CANNOT_FAIL = {("get", "/healthz")}
TAXII_JSON = "application/taxii+json;version=2.1"
TAXII_ERROR_REF = "#/components/schemas/TaxiiError"
# A public operation says so in its description with one of these.
PUBLIC_WORDS = re.compile(r"\b(public|no authentication|without authentication)\b", re.I)
ANY_PRINCIPAL = re.compile(r"\bany authenticated (principal|user)\b", re.I)
ASSET_REF = re.compile(r'(?:src|href)="([^"]+)"')

Operation = tuple[str, str, dict[str, Any]]


@pytest.fixture
def schema(app) -> dict[str, Any]:
    return app.openapi()


def operations(schema: dict[str, Any]) -> Iterator[Operation]:
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield method, path, op


def required_scopes(op: dict[str, Any]) -> list[str] | None:
    """None for a public operation, else the scopes it needs (empty: any principal)."""
    security = op.get("security")
    if not security:
        return None
    return sorted(
        {scope for requirement in security for scopes in requirement.values() for scope in scopes}
    )


def _params(op: dict[str, Any], where: str) -> list[str]:
    return [p["name"].lower() for p in op.get("parameters", []) if p["in"] == where]


def expected_errors(method: str, path: str, op: dict[str, Any]) -> set[str]:
    """The statuses an operation can answer by its shape alone."""
    scopes = required_scopes(op)
    expected: set[str] = set()
    if scopes is not None:
        expected.add("401")
    if scopes:
        expected.add("403")
    if "{" in path:
        expected.add("404")
    if op.get("requestBody") or _params(op, "query") or _params(op, "path"):
        expected.add("422")
    if "if-match" in _params(op, "header"):
        expected.add("412")
        if method in {"put", "patch", "delete"}:  # where If-Match is required
            expected.add("428")
    if "cursor" in _params(op, "query"):
        expected.add("400")
    return expected


def test_docs_pages_load_every_asset_from_the_app(client):
    for page in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        response = client.get(page)
        assert response.status_code == 200, page
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "://" not in response.text, f"{page} names another host"
        refs = ASSET_REF.findall(response.text)
        assert refs, page
        for ref in refs:
            assert ref.startswith("/"), f"{page} refers to {ref}"
            asset = client.get(ref)
            assert asset.status_code == 200, ref
            assert asset.content, ref


def test_the_policy_allows_only_this_origin():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'none'"
    for name in ("script-src", "connect-src", "img-src", "font-src", "style-src"):
        sources = directives[name].split()
        assert "'self'" in sources
        assert all(s.startswith("'") or s in {"data:", "blob:"} for s in sources), name
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY


def test_the_bundles_ship_with_the_package_and_redoc_calls_no_cdn(client):
    for name in VENDOR_FILES:
        assert (vendor_dir() / name).stat().st_size > 0, name
    for name in (*VENDOR_FILES, *OWN_FILES):
        assert client.get(f"/docs/static/{name}").status_code == 200, name
    redoc = client.get("/docs/static/redoc.standalone.js")
    assert REDOC_LOGO.decode() not in redoc.text
    assert "fonts.googleapis" not in redoc.text


def test_swagger_ui_keeps_the_token_and_logs_in_with_the_password_grant(client, schema):
    init = client.get("/docs/static/swagger-init.js").text
    assert "persistAuthorization: true" in init
    assert "validatorUrl: null" in init
    flows = schema["components"]["securitySchemes"]["OAuth2"]["flows"]
    assert flows["password"]["tokenUrl"] == "/api/v1/auth/token"


# FIRST, TLP 2.0: each label in its colour on black.
FIRST_TLP_COLOURS = {
    "CLEAR": "#fff",
    "GREEN": "#33ff00",
    "AMBER": "#ffc000",
    "AMBER+STRICT": "#ffc000",
    "RED": "#ff2b2b",
}


def _css_rules(css: str) -> dict[str, str]:
    """Each selector of docs.css with the body of its rule."""
    rules: dict[str, str] = {}
    for selectors, body in re.findall(
        r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    ):
        for selector in selectors.split(","):
            rules[selector.strip()] = rules.get(selector.strip(), "") + body
    return rules


def test_the_handbook_shows_every_tlp_label_in_its_first_colours(client):
    assert set(TLP_MEANINGS) == set(FIRST_TLP_COLOURS)
    rules = _css_rules((OWN_ASSETS / "docs.css").read_text())
    assert "background: #000" in rules['span[title^="TLP:"]']
    for tlp, colour in FIRST_TLP_COLOURS.items():
        label = tlp_label(tlp)
        assert label in DESCRIPTION, f"the handbook's TLP table lacks {tlp}"
        assert f'title="TLP:{tlp}: ' in label and f">TLP:{tlp}</span>" in label
        assert f"color: {colour};" in rules[f'span[title^="TLP:{tlp}:"]'], tlp
    # Both renderers keep `title` but Swagger UI drops `class`: the labels rely on no class.
    assert "class=" not in DESCRIPTION


def test_the_handbook_says_where_to_log_in_and_asks_a_member_only_email_and_password(schema):
    logging_in = DESCRIPTION.split("## Logging in", 1)[1].split("\n## ", 1)[0]
    before_steps = logging_in.split("1. ", 1)[0]
    # ReDoc has no Authorize button: the text sends its reader to /docs before any step.
    assert "[/docs](/docs)" in before_steps
    assert "username" in logging_in and "password" in logging_in
    member_steps = logging_in.split("Partner systems", 1)[0]
    assert "client_id" not in member_steps and "client_secret" not in member_steps
    assert "tick" not in member_steps
    rules = _css_rules((OWN_ASSETS / "docs.css").read_text())
    hidden = [s for s, body in rules.items() if "display: none" in body]
    for field in ("password_type", "client_id_password", "client_secret_password"):
        assert f'.swagger-ui .wrapper:has(> label[for="{field}"])' in hidden, field
    assert '.swagger-ui .auth-container:has(label[for="oauth_username"]) .scopes' in hidden
    assert not any("clientCredentials" in s for s in hidden)


def test_the_readme_asks_a_member_only_what_the_dialog_shows():
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    member_steps = readme.split("## For members", 1)[1].split("\n## ", 1)[0]
    assert "**Authorize**" in member_steps and "**username**" in member_steps
    assert "client_id" not in member_steps and "client_secret" not in member_steps


def test_every_operation_has_a_summary_and_a_description(schema):
    missing = [
        f"{method.upper()} {path}: {'summary' if not op.get('summary') else 'description'}"
        for method, path, op in operations(schema)
        if not op.get("summary") or not op.get("description", "").strip()
    ]
    assert not missing, "operations without:\n" + "\n".join(missing)


def test_every_description_names_its_scope_or_says_it_is_public(schema):
    problems = []
    for method, path, op in operations(schema):
        label = f"{method.upper()} {path}"
        text = op.get("description", "")
        scopes = required_scopes(op)
        if scopes is None:
            if not PUBLIC_WORDS.search(text):
                problems.append(f"{label}: public, but its description does not say so")
        elif not scopes:
            if not ANY_PRINCIPAL.search(text):
                problems.append(f"{label}: needs no scope; say 'Any authenticated principal'")
        else:
            absent = [s for s in scopes if f"`{s}`" not in text and s not in text.split()]
            if absent:
                problems.append(f"{label}: description does not name scope {absent}")
    assert not problems, "\n".join(problems)


def test_every_operation_declares_its_error_responses_as_problems(schema):
    problems = []
    for method, path, op in operations(schema):
        label = f"{method.upper()} {path}"
        responses = op.get("responses", {})
        errors = {status for status in responses if status[0] in "45"}
        if not errors and (method, path) not in CANNOT_FAIL:
            problems.append(f"{label}: declares no error response")
        # TAXII answers a malformed query 400, and its errors are TAXII error messages.
        taxii = path.startswith("/taxii2/")
        missing = expected_errors(method, path, op) - errors - ({"422"} if taxii else set())
        if missing:
            problems.append(f"{label}: does not declare {sorted(missing)}")
        media, ref = (TAXII_JSON, TAXII_ERROR_REF) if taxii else (PROBLEM_JSON, PROBLEM_REF)
        for status in sorted(errors):
            content = responses[status].get("content", {})
            if content.get(media, {}).get("schema", {}).get("$ref") != ref:
                problems.append(f"{label}: {status} is not documented as {media}")
    assert not problems, "\n".join(problems)


def test_every_tag_is_described_and_grouped_for_redoc(schema):
    described = {t["name"] for t in TAGS if t.get("description")}
    grouped = {tag for group in TAG_GROUPS for tag in group["tags"]}
    problems = []
    for method, path, op in operations(schema):
        if not op.get("tags"):
            problems.append(f"{method.upper()} {path}: has no tag")
        for tag in op.get("tags", []):
            if tag not in described or tag not in grouped:
                problems.append(f"{method.upper()} {path}: tag {tag!r} is not in openapi_doc")
    assert not problems, "\n".join(problems)
    used = {tag for group in schema["x-tagGroups"] for tag in group["tags"]}
    assert used == {t for _, _, op in operations(schema) for t in op["tags"]}


def test_the_checks_see_the_operations(schema):
    """Guards the checks above against passing vacuously."""
    ops = {(m, p): op for m, p, op in operations(schema)}
    assert required_scopes(ops[("get", "/api/v1/me")]) == []
    assert required_scopes(ops[("post", "/api/v1/auth/token")]) is None
    assert "401" in expected_errors("get", "/api/v1/me", ops[("get", "/api/v1/me")])
    scoped = [op for op in ops.values() if required_scopes(op)]
    assert scoped and all("403" in expected_errors("get", "/x", op) for op in scoped)
    assert "HTTPValidationError" not in schema["components"]["schemas"]
