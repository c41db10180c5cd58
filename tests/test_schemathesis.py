"""Property-based tests of every operation in the app's own OpenAPI schema, in-process.

For an admin and for a member, with valid and invalid inputs: no answer is a 5xx, and every
answer conforms to the schema (a documented status with its documented media type, body and
headers). The operations are read from the application itself, so a new endpoint is covered
as soon as it is routed. Each operation runs in the test's rolled-back transaction, through
the `app` fixture.
"""

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import create_engine

from oversight.main import create_app
from tests.support.databases import make_settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
MAX_EXAMPLES = 15


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


@pytest.fixture(scope="module")
def api_schema():
    """Loaded once; every call is sent to the test's own `app` (see `run` below)."""
    return schemathesis.openapi.from_dict(SCHEMA)


@pytest.fixture
def caller(request, factory):
    role = request.param
    return factory.user(roles=[] if role == "member" else [role])


@pytest.mark.parametrize("caller", ["admin", "member"], indirect=True)
@pytest.mark.parametrize(
    ("method", "path"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p in OPERATIONS]
)
def test_operation_answers_as_documented(api_schema, app, db, factory, caller, method, path):
    operation = api_schema[path][method.upper()]
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )
    def run(case):
        # A token issued now: a logout or password change in an earlier case revokes older ones.
        db.refresh(caller)
        case.call_and_validate(app=app, headers=factory.headers(caller), checks=CHECKS)

    run()


def test_operations_are_found(app):
    """Guards the test above against covering nothing, or a schema other than the app's."""
    assert ("get", "/api/v1/me") in OPERATIONS
    assert ("post", "/api/v1/auth/token") in OPERATIONS
    assert app.openapi() == SCHEMA
