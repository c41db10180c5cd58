"""What schemathesis is told about Oversight beyond its OpenAPI document, for the in-process
tests and for the command line (`SCHEMATHESIS_HOOKS=tests.support.schemathesis_hooks`).

`positive_data_acceptance` fails any refusal of schema-valid data. Some rules no JSON Schema
of this document states, because they hold between fields, against the database or against
today: recipients at RED only, ids that must name an existing record, a date not in the
future, a password that is not easily guessed. The API answers those 422 with the
`errors[].type` in `RULE_ERRORS`. What a schema can state, it does (lengths of trimmed text,
the earliest `occurred_on`, which fields of a partial update take null, each indicator type's
values and the references' URLs), so a 422 of the schema's own kinds is never allowed.
`positive_data_acceptance_within_rules` is `positive_data_acceptance` with that one allowance:
a 422 whose every error is of those types passes; any other refusal (a 422 of the schema's
own kinds — a missing field, a too-long string, a wrong type —, a 400, ...) still fails.

`ignored_auth` sends each operation again without credentials and with made-up ones, and
expects 401 or 403. A caller that keeps sending bad credentials is throttled first (429 with
`Retry-After`, `auth/throttle.py`): refused all the same. `ignored_auth_beyond_throttle` is
`ignored_auth` taking that 429 as the refusal it is; a 2xx (or any other answer) still fails.
"""

import json

import schemathesis
from schemathesis.checks import CheckContext
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case
from schemathesis.openapi.checks import IgnoredAuth, RejectedPositiveData
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

RULE_ERRORS = frozenset(
    {
        "value_error",  # a rule of the model: between fields, for a type, against today
        "unknown_id",  # an id naming no record
        "unknown_link",  # an id naming no record the caller may link to
    }
)


def refused_by_rules(response: Response) -> bool:
    """A 422 of a rule: its errors all of `RULE_ERRORS`, or none listed (a service's rule,
    told in `detail`: the framework's validation of the schema always lists its errors)."""
    if response.status_code != 422:
        return False
    try:
        errors = json.loads(response.content).get("errors")
    except (ValueError, AttributeError):
        return False
    return not errors or all(e.get("type") in RULE_ERRORS for e in errors)


@schemathesis.check
def positive_data_acceptance_within_rules(
    ctx: CheckContext, response: Response, case: Case
) -> bool | None:
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if refused_by_rules(response):
            return None
        raise


@schemathesis.check
def ignored_auth_beyond_throttle(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    try:
        return ignored_auth(ctx, response, case)
    except IgnoredAuth as failure:
        if "got `429 " in failure.message:
            return None
        raise
