"""Bulletin bodies and API steps shared by the bulletin tests."""

import uuid
from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1/bulletins"


def payload(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Ransomware campaign against small businesses",
        "summary": "Affiliates of a ransomware group are phishing SME payroll staff.",
        "body": "## What happens\nA macro document drops a loader, then the encryptor.",
        "category": "ransomware",
        "severity": "high",
        "sectors": ["sme"],
        "indicators": [
            {"type": "ipv4", "value": "203.0.113.7", "description": "C2 server"},
            {"type": "domain", "value": "invoice-portal.example"},
            {"type": "sha256", "value": "a" * 64},
        ],
        "recommended_actions": ["Block the indicators", "Check offline backups"],
        "references": ["https://www.ncsc.gov.uk/ransomware"],
        "tlp": "GREEN",
    }
    body.update(overrides)
    return body


def create(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    r = client.post(API, json=payload(**overrides), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def publish(client: TestClient, headers: dict[str, str], bulletin: dict[str, Any]) -> dict:
    r = client.post(
        f"{API}/{bulletin['id']}/publish",
        headers={**headers, "If-Match": f'"{bulletin["version"]}"'},
    )
    assert r.status_code == 200, r.text
    return r.json()


def without_request(body: dict[str, Any]) -> dict[str, Any]:
    """A problem body without what differs per request (request id, path)."""
    return {k: v for k, v in body.items() if k not in {"request_id", "instance"}}


def missing_body(
    client: TestClient, headers: dict[str, str], method: str, suffix: str = "", **kw: Any
) -> dict[str, Any]:
    """The 404 body for a random id, to compare with the answer for a hidden bulletin."""
    r = client.request(method, f"{API}/{uuid.uuid4()}{suffix}", headers=headers, **kw)
    assert r.status_code == 404, r.text
    return without_request(r.json())
