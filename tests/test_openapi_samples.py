"""Every request body and every successful JSON answer under /api/v1 is documented with a
sample, and every sample is one the API itself would accept or give."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import TypeAdapter, ValidationError

from oversight.errors import Problem

API = "/api/v1/"
JSON = "application/json"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
UTC_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOT_UUIDS = {"client_id", "request_id"}
UUID_LISTS = {"recipient_agencies", "recipient_users", "drafted_by"}
DATES = {"due_date", "review_by"}
# Classified items: their operations must say how classification applies.
CLASSIFIED = ("/api/v1/bulletins", "/api/v1/meetings", "/api/v1/actions")
CLASSIFICATION_WORDS = re.compile(
    r"404|never listed|classification|`tlp`|public feed|published CLEAR", re.IGNORECASE
)

Operation = tuple[APIRoute, str, str, dict[str, Any]]


@pytest.fixture
def schema(app) -> dict[str, Any]:
    return app.openapi()


def api_routes(app) -> Iterator[tuple[APIRoute, str]]:
    """Each route with its full path (included routers are not flattened into app.routes)."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path.startswith(API):
            yield route, context.path


def api_operations(app, schema: dict[str, Any]) -> Iterator[Operation]:
    for route, path in api_routes(app):
        for method in sorted(route.methods):
            yield route, method, path, schema["paths"][path][method.lower()]


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    name = ref.removeprefix("#/components/schemas/")
    return schema["components"]["schemas"][name]


def samples_of(schema: dict[str, Any], media: dict[str, Any]) -> list[Any]:
    """The samples a reader of the docs sees: on the media type, or on its (whole) schema."""
    found = [e["value"] for e in media.get("examples", {}).values() if "value" in e]
    if "example" in media:
        found.append(media["example"])
    found.extend(resolve(schema, media.get("schema", {})).get("examples", []))
    return found


def shape_problems(value: Any, key: str = "") -> Iterator[str]:
    """Ids are well-formed UUIDs, timestamps RFC 3339 in UTC with Z, dates plain dates."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from shape_problems(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from shape_problems(item, key)
    elif isinstance(value, str):
        is_id = (key == "id" or key.endswith("_id") or key in UUID_LISTS) and key not in NOT_UUIDS
        if is_id and not UUID.match(value):
            yield f"{key}: {value!r} is not a UUID"
        if (key == "at" or key.endswith("_at")) and not UTC_TIME.match(value):
            yield f"{key}: {value!r} is not an RFC 3339 UTC timestamp"
        if key in DATES and not DATE.match(value):
            yield f"{key}: {value!r} is not a date"


def test_every_json_request_body_has_samples_the_model_accepts(app, schema):
    problems = []
    checked = 0
    for route, method, path, op in api_operations(app, schema):
        media = op.get("requestBody", {}).get("content", {}).get(JSON)
        if route.body_field is None or media is None:
            continue
        label = f"{method} {path}"
        found = samples_of(schema, media)
        if not found:
            problems.append(f"{label}: its request body has no sample")
        for sample in found:
            checked += 1
            _, errors = route.body_field.validate(sample, {}, loc=("body",))
            problems.extend(f"{label}: sample refused: {e['loc']} {e['msg']}" for e in errors)
            problems.extend(f"{label}: {p}" for p in shape_problems(sample))
    assert not problems, "\n".join(problems)
    assert checked >= 20, "too few request samples found: is the walk broken?"


def test_every_successful_json_answer_has_a_sample_of_its_model(app, schema):
    problems = []
    checked = 0
    for route, method, path, op in api_operations(app, schema):
        for status, response in op["responses"].items():
            media = response.get("content", {}).get(JSON)
            if not status.startswith("2") or media is None:
                continue
            label = f"{method} {path} {status}"
            found = samples_of(schema, media)
            if not found:
                problems.append(f"{label}: no sample")
            adapter = TypeAdapter(route.response_model)
            for sample in found:
                checked += 1
                try:
                    adapter.validate_python(sample, by_name=True)
                except ValidationError as exc:
                    problems.extend(f"{label}: {e['loc']} {e['msg']}" for e in exc.errors())
                problems.extend(f"{label}: {p}" for p in shape_problems(sample))
    assert not problems, "\n".join(problems)
    assert checked >= 30, "too few response samples found: is the walk broken?"


def test_every_classified_operation_says_how_classification_applies(app, schema):
    problems = [
        f"{method} {path}"
        for route, method, path, op in api_operations(app, schema)
        if path.startswith(CLASSIFIED)
        and not CLASSIFICATION_WORDS.search(op.get("description", ""))
    ]
    assert not problems, "descriptions silent on classification:\n" + "\n".join(problems)


def test_the_checks_catch_a_bad_sample(app):
    """Guards the checks above against passing vacuously."""
    create = next(
        r for r, path in api_routes(app) if path == "/api/v1/bulletins" and "POST" in r.methods
    )
    bad = {
        "title": "Bad indicator",
        "summary": "An address that does not exist",
        "category": "ransomware",
        "severity": "high",
        "tlp": "GREEN",
        "indicators": [{"type": "ipv4", "value": "999.1.1.1"}],
    }
    _, errors = create.body_field.validate(bad, {}, loc=("body",))
    assert errors
    assert list(shape_problems({"id": "not-a-uuid", "created_at": "2026-03-01T10:00:00+01:00"}))


def _error_responses(schema: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            for status, response in op.get("responses", {}).items():
                if status[:1] in "45":
                    yield method, path, status, response


def test_every_error_response_shows_a_real_problem(schema):
    checked = 0
    for method, path, status, response in _error_responses(schema):
        where = f"{method.upper()} {path} {status}"
        if path.startswith("/taxii2/"):  # TAXII error messages, the shape TAXII clients read
            taxii = response["content"]["application/taxii+json;version=2.1"]["example"]
            assert set(taxii) == {"title", "description", "error_id", "http_status"}, where
            assert taxii["http_status"] == status and taxii["title"] != "string", where
            continue
        media = response.get("content", {}).get("application/problem+json")
        assert media is not None, f"{where}: not a problem+json answer"
        sample = media.get("example")
        assert isinstance(sample, dict), f"{where}: no sample"
        Problem.model_validate(sample)
        assert re.fullmatch(r"/problems/[a-z-]+", sample["type"]), where
        assert sample["status"] == int(status), where
        assert sample["title"] and sample["title"] != "string", where
        assert sample["detail"] and sample["detail"] != "string", where
        assert "{" not in sample["instance"] and sample["instance"].startswith("/"), where
        assert sample["request_id"], where
        if status == "422":
            assert sample["errors"] and sample["errors"][0]["loc"][0] == "body", where
        checked += 1
    assert checked > 100


def test_optional_query_parameters_read_as_one_type(schema):
    optional = 0
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            for parameter in op.get("parameters", []):
                node = parameter["schema"]
                where = f"{method.upper()} {path} {parameter['name']}"
                assert "anyOf" not in node, f"{where} reads as several types: {node}"
                assert node.get("type") != "null", where
                optional += not parameter.get("required", False)
    assert optional > 20
