"""Meeting and action bodies and API steps shared by the meetings and actions tests."""

import uuid
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

MEETINGS = "/api/v1/meetings"
ACTIONS = "/api/v1/actions"

MINUTES = (
    "## Cyber crime unit update\nThe unit reported a rise in ransomware against SMEs and "
    "the launch of the Prevent referral pathway."
)
DECISIONS = ["Adopt cybercrime as a strategic priority across local authorities"]


def meeting_payload(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Strategic oversight board",
        "held_at": "2020-06-26T10:00:00Z",
        "location": "County Hall, committee room 2",
        "agenda": ["Apologies", "Cyber crime unit update", "Recommendations"],
        "tlp": "GREEN",
    }
    body.update(overrides)
    return body


def create_meeting(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict:
    r = client.post(MEETINGS, json=meeting_payload(**overrides), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def if_match(headers: dict[str, str], version: int | dict[str, Any]) -> dict[str, str]:
    v = version["version"] if isinstance(version, dict) else version
    return {**headers, "If-Match": f'"{v}"'}


def write_minutes(
    client: TestClient,
    headers: dict[str, str],
    meeting: dict[str, Any],
    body: str = MINUTES,
    decisions: list[str] | None = None,
) -> dict[str, Any]:
    r = client.put(
        f"{MEETINGS}/{meeting['id']}/minutes",
        json={"body": body, "decisions": DECISIONS if decisions is None else decisions},
        headers=if_match(headers, meeting),
    )
    assert r.status_code == 200, r.text
    return r.json()


def minutes_step(
    client: TestClient, headers: dict[str, str], meeting: dict[str, Any], step: str, **kw: Any
) -> Response:
    return client.post(
        f"{MEETINGS}/{meeting['id']}/minutes/{step}", headers=if_match(headers, meeting), **kw
    )


def action_payload(owner_agency_id: object, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Support the set-up and use of a Prevent referral process",
        "description": "Agree the referral pathway with the regional Prevent lead.",
        "owner_agency_id": str(owner_agency_id),
        "due_date": "2020-09-30",
        "priority": "high",
        "tlp": "GREEN",
    }
    body.update(overrides)
    return body


def create_action(
    client: TestClient, headers: dict[str, str], owner_agency_id: object, **overrides: Any
) -> dict[str, Any]:
    r = client.post(ACTIONS, json=action_payload(owner_agency_id, **overrides), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def post_update(
    client: TestClient,
    headers: dict[str, str],
    action: dict[str, Any],
    note: str = "Progress",
    status: str | None = None,
) -> Response:
    body: dict[str, Any] = {"note": note}
    if status is not None:
        body["status"] = status
    return client.post(
        f"{ACTIONS}/{action['id']}/updates", json=body, headers=if_match(headers, action)
    )


def without_request(body: dict[str, Any]) -> dict[str, Any]:
    """A problem body without what differs per request (request id, path)."""
    return {k: v for k, v in body.items() if k not in {"request_id", "instance"}}


def same_as_missing(
    client: TestClient,
    headers: dict[str, str],
    method: str,
    base: str,
    hidden_id: str,
    suffix: str = "",
    extra: dict[str, str] | None = None,
    **kw: Any,
) -> None:
    """The answer for a hidden item equals the answer for a random id, but for the id."""
    missing = str(uuid.uuid4())
    kw_headers = {**headers, **(extra or {})}
    r_hidden = client.request(method, f"{base}/{hidden_id}{suffix}", headers=kw_headers, **kw)
    r_missing = client.request(method, f"{base}/{missing}{suffix}", headers=kw_headers, **kw)
    assert r_hidden.status_code == r_missing.status_code == 404, (r_hidden.text, method, suffix)
    hidden = without_request(r_hidden.json())
    absent = without_request(r_missing.json())
    assert hidden == {k: str(v).replace(missing, hidden_id) for k, v in absent.items()} | {
        "status": 404
    }
