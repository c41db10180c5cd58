"""Report bodies and API steps shared by the report tests."""

from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1/reports"


def payload(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "incident",
        "occurred_on": "2026-03-02",
        "category": "fraud",
        "vector": "phishing",
        "victim_type": "sme",
        "outcome": "loss",
        "financial_loss_gbp": 18400,
        "downtime_hours": 4,
        "reported_to_action_fraud": True,
        "description": "A bookkeeper paid a spoofed supplier invoice after a mandate change.",
    }
    body.update(overrides)
    return body


def create(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    r = client.post(API, json=payload(**overrides), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def if_match(headers: dict[str, str], body: dict[str, Any]) -> dict[str, str]:
    return {**headers, "If-Match": f'"{body["version"]}"'}
