"""The app's own OpenAPI document and what schemathesis checks against it, shared by the
operation-by-operation tests and the link walk."""

import copy
import json
import re
import tempfile
from pathlib import Path

import schemathesis
from fastapi import FastAPI
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
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
# Where an operation requires `If-Match`, a request without one is answered 428 Precondition
# Required (RFC 6585), the status made for exactly that; and a body over the size limit is
# refused with 413 before it is read, whatever else is wrong with it.
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
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "412", "413", "429", "5xx"]

[checks.missing_required_header]
expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]

[checks.negative_data_rejection]
expected-statuses = [
    "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"
]

[[operations]]
include-name-regex = {json.dumps("^GET (" + "|".join(re.escape(p) for p in PAGED) + ")$")}
[operations.checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "412", "413", "429", "5xx"]
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


def coverage_role(method: str, path: str) -> str:
    """The role best placed to use the operation: the first that holds its scopes."""
    return next((r for r in ("editor", "admin", "member") if may_use(r, method, path)), "admin")
