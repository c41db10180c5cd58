"""Every OpenAPI link of the app's own document, walked as a client generator or schemathesis's
stateful run would walk it: a real source response (a create, a read, a list), the link's
parameters read from it by schemathesis's own link evaluator (`$response.body#/id`,
`$response.header.ETag`), and the target operation called with them and checked with every
check `st run --checks all` runs. Each link must reach its item: the target answers neither
404 (the link led nowhere) nor 422 (the link's values did not fit) nor 5xx.

A random stateful run rarely gets a create through (a create names agencies and users that
exist), so most item operations would only ever see 404; here the sources are made from real
bodies, one fresh source per link, so an earlier link's change (an update that moves the
ETag, a delete) cannot hide a later one.
"""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from schemathesis.core.result import Ok
from schemathesis.generation.stateful.state_machine import StepOutput
from schemathesis.specs.openapi.stateful.links import OpenApiLink

from tests.support import bulletins, reports
from tests.support.admin import new_user
from tests.support.api_schema import ALL_CHECKS, SCHEMA, load_schema, may_use, required_scopes
from tests.support.meetings import action_payload, meeting_payload
from tests.support.webhooks import allow_loopback

TAXII = "application/taxii+json;version=2.1"
CALLERS = ("editor", "admin", "member")  # in the order a caller is chosen
HOOK = "http://127.0.0.1:9/oversight"

LINKS = [
    (method, path, status, name)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if isinstance(operation, dict)
    for status, response in operation.get("responses", {}).items()
    for name in response.get("links", {})
]
LINK_IDS = [f"{m.upper()} {p} {s} {n}" for m, p, s, n in LINKS]


def _creates(agency_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    """A body each create accepts, naming records that exist."""
    suffix = uuid.uuid4().hex[:8]
    return {
        "/api/v1/bulletins": bulletins.payload(),
        "/api/v1/meetings": meeting_payload(),
        "/api/v1/actions": action_payload(agency_id),
        "/api/v1/reports": reports.payload(),
        "/api/v1/agencies": {"name": f"Agency {suffix}", "sector": "police"},
        "/api/v1/users": new_user(agency_id),
        "/api/v1/service-accounts": {
            "name": f"Feed {suffix}",
            "agency_id": str(agency_id),
            "scopes": ["bulletins:read"],
        },
        "/api/v1/webhooks": {"url": HOOK, "event_types": ["bulletin.published"]},
    }


# Bodies for targets whose documented sample names records of another database.
def _target_bodies(walk: "Walk") -> dict[tuple[str, str], Any]:
    return {
        ("put", "/api/v1/meetings/{meeting_id}/attendance"): [
            {"agency_id": str(walk.agency.id), "status": "present"},
            {"name": "Chamber of Commerce (observer)", "status": "absent"},
        ],
    }


@dataclass
class Walk:
    schema: Any
    app: Any
    factory: Any
    agency: Any
    users: dict[str, Any]

    def headers(self, method: str, path: str) -> dict[str, str]:
        """As the first role that may use the operation; webhooks are a partner system's."""
        needed = required_scopes(method, path) or set()
        role = next((r for r in CALLERS if may_use(r, method, path)), "system")
        caller = self.users[role] if role != "system" else self.system(needed)
        self.factory.session.refresh(caller)
        headers = self.factory.headers(caller)
        if path.startswith("/taxii2/"):
            headers["Accept"] = TAXII
        return headers

    def system(self, needed: set[str]) -> Any:
        if "system" not in self.users:
            self.users["system"] = self.factory.service_account(
                self.agency, scopes=sorted({"webhooks:read", "webhooks:write", *needed})
            )
        return self.users["system"]

    def call(self, method: str, path: str, **data: Any) -> StepOutput:
        case = self.schema[path][method.upper()].Case(**data)
        response = case.call(app=self.app, headers=self.headers(method, path))
        assert response.status_code < 300, f"{method.upper()} {path}: {response.text}"
        return StepOutput(response=response, case=case)

    def create(self, collection: str) -> dict[str, Any]:
        body = _creates(self.agency.id)[collection]
        return self.call("post", collection, body=body).response.json()

    def source(self, method: str, path: str) -> StepOutput:
        """A real answer of the link's source operation, about an item that exists."""
        collection = path.split("/{")[0]
        if path.startswith("/taxii2/"):
            bulletin = bulletins.payload(tlp="CLEAR")
            made = self.call("post", "/api/v1/bulletins", body=bulletin).response.json()
            self.call(
                "post",
                "/api/v1/bulletins/{bulletin_id}/publish",
                path_parameters={"bulletin_id": made["id"]},
                headers={"If-Match": f'"{made["version"]}"'},
            )
            collections = self.call("get", "/taxii2/oversight/collections/").response.json()
            ids = {"collection_id": collections["collections"][0]["id"]}
            return self.call(method, path, path_parameters=ids if "{" in path else {})
        if method == "post" and "{" not in path:
            return self.call("post", path, body=_creates(self.agency.id)[path])
        item = self.create(collection)
        if "{" not in path:
            return self.call(method, path)
        name = path.split("{")[1].split("}")[0]
        ids = {name: item["id"]}
        if path.endswith("/deliveries"):
            self.call("post", f"{collection}/{{{name}}}/test", path_parameters=ids)
        if path.endswith("/acknowledge"):  # only a published bulletin is acknowledged
            version = {"If-Match": f'"{item["version"]}"'}
            self.call(
                "post", f"{collection}/{{{name}}}/publish", path_parameters=ids, headers=version
            )
        body = _sample(method, path) if method == "post" else None
        given: dict[str, Any] = {"body": body} if body is not None else {}
        if any(p.get("name") == "If-Match" for p in SCHEMA["paths"][path][method]["parameters"]):
            given["headers"] = {"If-Match": f'"{item["version"]}"'}
        return self.call(method, path, path_parameters=ids, **given)


def _sample(method: str, path: str) -> Any:
    content = SCHEMA["paths"][path][method].get("requestBody", {}).get("content", {})
    body = content.get("application/json")
    if body is None:
        return None
    if "example" in body:
        return body["example"]
    if "examples" in body:
        return next(iter(body["examples"].values()))["value"]
    ref = body.get("schema", {}).get("$ref", "").split("/")[-1]
    samples = SCHEMA["components"]["schemas"].get(ref, {}).get("examples")
    return samples[0] if samples else {}


@pytest.fixture
def walk(built_app, app, factory):
    allow_loopback(app)
    agency = factory.agency()
    users = {
        r: factory.user(agency, roles=[] if r == "member" else [r])
        for r in ("editor", "admin", "member")
    }
    return Walk(load_schema(built_app), app, factory, agency, users)


@pytest.mark.parametrize(("method", "path", "status", "name"), LINKS, ids=LINK_IDS)
def test_the_link_reaches_its_item(walk, method, path, status, name):
    output = walk.source(method, path)
    assert str(output.response.status_code) == status, output.response.text
    definition = SCHEMA["paths"][path][method]["responses"][status]["links"][name]
    link = OpenApiLink(name, status, definition, walk.schema[path][method.upper()])
    target = link.target
    values: dict[str, dict[str, Any]] = {}
    for container, params in link.extract_parameters(output).items():
        for param, extracted in params.items():
            assert isinstance(extracted.value, Ok), f"{param}: {extracted.value}"
            values.setdefault(container, {})[param] = extracted.value.ok()
    data: dict[str, Any] = {
        "path_parameters": values.get("path_parameters", {}),
        "query": values.get("query", {}),
        "headers": values.get("headers", {}),
    }
    target_method, target_path = target.method.lower(), target.path
    body = _target_bodies(walk).get(
        (target_method, target_path), _sample(target_method, target_path)
    )
    if body is not None:
        data["body"] = body
    case = target.Case(**data)
    headers = {**walk.headers(target_method, target_path), **data["headers"]}
    response = case.call_and_validate(app=walk.app, headers=headers, checks=ALL_CHECKS)
    assert response.status_code not in (404, 422), f"{target.label}: {response.text}"
    assert response.status_code < 500


def test_links_lead_to_every_item_operation():
    """Every operation on an item is the target of at least one link."""
    targets = {
        SCHEMA["paths"][p][m]["responses"][s]["links"][n]["operationId"] for m, p, s, n in LINKS
    }
    item_operations = {
        operation["operationId"]
        for path, item in SCHEMA["paths"].items()
        if "{" in path
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert item_operations <= targets
    assert len(LINKS) >= 100
