"""Property-based tests of every operation in the app's own OpenAPI schema, with every check
schemathesis has (what `st run --checks all` runs), as an admin, an editor and a member.

- **Operation by operation** (in process, through the `app` fixture, in the test's rolled-back
  transaction): for each role, valid and invalid inputs drawn from the schema; and once per
  operation, as the role best placed to use it, schemathesis's coverage cases (every missing
  required part, every boundary, each undeclared HTTP method). No answer is a 5xx; every
  answer is documented (status, media type, body, headers); invalid data is refused, valid
  data is not refused as invalid; a declared credential is enforced; an undeclared method
  answers 405 with `Allow`.
The OpenAPI links lead from each create, read and list to every operation on the item; a
stateful run along them, and a run of the command line against a live server, are not part of
this module yet.

`object_level_authorization` is run with the others but has nothing to compare here: it
replays one identity's reads as the other identities of a Web Fuzzing Commons auth document,
and each run here holds one identity. What each role may read of another's items is the
classification rule, tested directly in `tests/security/` and `tests/test_access_policy.py`.

Budget (2 CPUs): about 90 s per database on top of the five checks for two roles this module
ran before; `MAX_EXAMPLES` sets it.
"""

import copy
import json
import re
import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.overrides import Override
from schemathesis.schemas import BaseSchema
from sqlalchemy import create_engine

from oversight.auth.scopes import scopes_for_roles
from oversight.main import create_app
from tests.support.databases import make_settings
from tests.support.schemathesis_hooks import (
    ignored_auth_beyond_throttle,
    positive_data_acceptance_within_rules,
)

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
ROLES = ("admin", "editor", "member")
MAX_EXAMPLES = 8

# What `--checks all` runs in the installed schemathesis (`max_response_time` needs a limit).
CHECK_NAMES = frozenset(
    {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "positive_data_acceptance",
        "negative_data_rejection",
        "missing_required_header",
        "unsupported_method",
        "allow_header_conformance",
        "use_after_free",
        "ensure_resource_availability",
        "ignored_auth",
        "object_level_authorization",
    }
)
load_all_checks()
# Every check; `positive_data_acceptance` as Oversight's rules allow (see schemathesis_hooks).
AS_OVERSIGHT_STATES = {
    "positive_data_acceptance": positive_data_acceptance_within_rules,
    "ignored_auth": ignored_auth_beyond_throttle,
}
ALL_CHECKS = [AS_OVERSIGHT_STATES.get(name) or CHECKS.get_one(name) for name in sorted(CHECK_NAMES)]


def application_schema() -> dict:
    """The app's own OpenAPI document, as /openapi.json serves it; no database is touched."""
    engine = create_engine("sqlite://")
    app = create_app(make_settings("sqlite://", Path(tempfile.gettempdir())), engine)
    engine.dispose()
    return app.openapi()


SCHEMA = application_schema()
OPERATIONS = [
    (method, path)
    for path, item in SCHEMA["paths"].items()
    for method in HTTP_METHODS
    if method in item
]
IDS = [f"{m.upper()} {p}" for m, p in OPERATIONS]

# A cursor (`cursor`, `after`, TAXII's `next`) is a token the service signed (`web/paging.py`):
# a string it did not issue is
# refused with 400 however well it fits the schema, as a credential that does not exist would
# be. So on the lists that take one, 400 is an expected answer to schema-valid data; 422 (any
# other parameter out of its documented bounds) still is not. Likewise `If-Match` names the
# version the item must still have: one drawn at random is a 412 anywhere.
PAGED = [
    path
    for path, item in SCHEMA["paths"].items()
    if any(
        p.get("description", "").endswith("of the previous page")
        for p in item.get("get", {}).get("parameters", [])
    )
]
CONFIG = f"""
[generation]
allow-x00 = false

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "412", "429", "5xx"]

[[operations]]
include-name-regex = {json.dumps("^GET (" + "|".join(re.escape(p) for p in PAGED) + ")$")}
[operations.checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "412", "429", "5xx"]
"""


def load_schema(app: FastAPI) -> BaseSchema:
    """The schema, told the rules above, sending every call (probes included) to `app`."""
    config = SchemathesisConfig.from_str(CONFIG)
    schema = schemathesis.openapi.from_dict(copy.deepcopy(SCHEMA), config=config)
    schema.app = app
    return schema


def required_scopes(method: str, path: str) -> set[str] | None:
    """The scopes the operation's OAuth2 requirement names; None when it declares none."""
    requirements = SCHEMA["paths"][path][method].get("security")
    if not requirements:
        return None
    oauth = [set(r["OAuth2"]) for r in requirements if "OAuth2" in r]
    return min(oauth, key=len) if oauth else None


def may_use(role: str, method: str, path: str) -> bool:
    """Whether the role's scopes allow the operation (the services may still refuse an item)."""
    needed = required_scopes(method, path)
    return needed is None or needed <= scopes_for_roles([role])


def _roles_of(role: str) -> list[str]:
    return [] if role == "member" else [role]


def _failures(exc: BaseException) -> str:
    if isinstance(exc, FailureGroup):
        return "\n".join(f"{f.title}: {f.message}" for f in exc.exceptions)
    return str(exc)


@pytest.fixture(scope="module")
def api_schema(built_app):
    """Loaded once: the `app` of every test is the run's `built_app` with its own sessions."""
    return load_schema(built_app)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=IDS)
def test_operation_answers_as_documented(api_schema, app, db, factory, role, method, path):
    caller = factory.user(roles=_roles_of(role))
    operation = api_schema[path][method.upper()]
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )
    def run(case):
        # A token issued now: a logout or password change in an earlier case revokes older ones.
        db.refresh(caller)
        case.call_and_validate(app=app, headers=factory.headers(caller), checks=ALL_CHECKS)

    run()


def coverage_role(method: str, path: str) -> str:
    """The role best placed to use the operation: the first that holds its scopes."""
    return next((r for r in ("editor", "admin", "member") if may_use(r, method, path)), "admin")


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=IDS)
def test_operation_coverage_cases_answer_as_documented(api_schema, app, db, factory, method, path):
    caller = factory.user(roles=_roles_of(coverage_role(method, path)))
    operation = api_schema[path][method.upper()]
    generated = CoverageGenerator(
        operation=operation,
        generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        generation_config=api_schema.config.generation_for(operation=operation, phase="coverage"),
        auth_storage=None,
        override=Override(),
        feedback=FeedbackSources(),
    )
    failed = []
    count = 0
    for case in generated:
        count += 1
        db.refresh(caller)
        try:
            case.call_and_validate(app=app, headers=factory.headers(caller), checks=ALL_CHECKS)
        except (AssertionError, FailureGroup) as exc:
            failed.append(f"{case.method} {case.formatted_path}: {_failures(exc)}")
    assert count
    assert not failed, "\n\n".join(failed[:5])


# ---------------------------------------------------------------------------------- stateful


def test_operations_and_checks_are_found(app):
    """Guards the tests above against covering nothing, a schema other than the app's, or
    fewer checks than schemathesis has."""
    assert ("get", "/api/v1/me") in OPERATIONS
    assert ("post", "/api/v1/auth/token") in OPERATIONS
    assert app.openapi() == SCHEMA
    builtin = set(CHECKS.get_all_names()) - {"max_response_time"}
    assert builtin - {f.__name__ for f in AS_OVERSIGHT_STATES.values()} == CHECK_NAMES
    assert len([p for _, p in OPERATIONS if "_id}" in p]) >= 40
