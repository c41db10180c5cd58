"""Property-based tests of every operation in the app's own OpenAPI schema, with every check
schemathesis has (what `st run --checks all` runs), as an admin, an editor and a member.

- **Operation by operation** (in process, through the `app` fixture, in the test's rolled-back
  transaction): for each role, valid and invalid inputs drawn from the schema; and once per
  operation, as the role best placed to use it, schemathesis's coverage cases (every missing
  required part, every boundary, each undeclared HTTP method). No answer is a 5xx; every
  answer is documented (status, media type, body, headers); invalid data is refused, valid
  data is not refused as invalid; a declared credential is enforced; an undeclared method
  answers 405 with `Allow`.
The OpenAPI links lead from each create, read and list to every operation on the item; they
are walked in `test_schemathesis_links.py`.

`object_level_authorization` is run with the others but has nothing to compare here: it
replays one identity's reads as the other identities of a Web Fuzzing Commons auth document,
and each run here holds one identity. What each role may read of another's items is the
classification rule, tested directly in `tests/security/` and `tests/test_access_policy.py`.

Budget (2 CPUs): about 90 s per database on top of the five checks for two roles this module
ran before; `MAX_EXAMPLES` sets it.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.overrides import Override

from tests.support.api_schema import (
    ALL_CHECKS,
    AS_OVERSIGHT_STATES,
    CHECK_NAMES,
    IDS,
    OPERATIONS,
    ROLES,
    SCHEMA,
    coverage_role,
    load_schema,
)

MAX_EXAMPLES = 8


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
