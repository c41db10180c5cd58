"""Contract §12: an OpenAPI document a client generator can use as it is."""

import re

import pytest


@pytest.fixture(scope="module")
def doc(engine, settings):
    from oversight.main import create_app

    return create_app(settings, engine).openapi()


def _ops(doc):
    return [
        (path, method, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "responses" in op
    ]


def test_operation_ids_are_readable_and_unique(doc):
    ids = [op["operationId"] for _, _, op in _ops(doc)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", i) for i in ids), ids
    assert {"bulletins.list", "bulletins.publish", "actions.create"} <= set(ids)


def test_every_api_operation_may_answer_429_and_503_with_retry_after(doc):
    for path, method, op in _ops(doc):
        if path.startswith("/api/"):
            for status in ("429", "503"):
                assert "Retry-After" in op["responses"][status]["headers"], (path, method)


def test_response_headers_are_declared(doc):
    get = doc["paths"]["/api/v1/bulletins/{bulletin_id}"]["get"]["responses"]["200"]["headers"]
    assert {"ETag", "X-Request-ID"} <= set(get)
    listed = doc["paths"]["/api/v1/bulletins"]["get"]["responses"]["200"]["headers"]
    assert "Link" in listed
    created = doc["paths"]["/api/v1/bulletins"]["post"]["responses"]["201"]["headers"]
    assert {"Location", "ETag", "Idempotent-Replayed"} <= set(created)


def test_creates_link_to_the_read_of_what_they_created(doc):
    for path in ("/api/v1/bulletins", "/api/v1/meetings", "/api/v1/actions", "/api/v1/users"):
        link = doc["paths"][path]["post"]["responses"]["201"]["links"]["read"]
        assert link["operationId"].endswith(".get")
        assert list(link["parameters"].values()) == ["$response.body#/id"]


def test_a_server_is_named(doc):
    assert doc["servers"] == [{"url": "/", "description": "This service"}]
