"""Samples of meeting, attendance and minutes bodies and answers, for the API documentation."""

from typing import Any

from oversight import samples as ex
from oversight.actions import samples as actions

AGENDA = [
    "Welcome and apologies",
    "Cyber crime unit update",
    "Recommendations to the partnership",
    "Any other business",
]

ATTENDANCE: list[dict[str, Any]] = [
    {"agency_id": ex.POLICE, "status": "present"},
    {"agency_id": ex.COUNCIL, "status": "present"},
    {"agency_id": ex.EASTVALE, "status": "apologies"},
    {"agency_id": ex.ROCU, "name": "DS Jo Pritchard", "status": "present"},
    {"agency_id": ex.CRC, "status": "present"},
    {"name": "Chamber of Commerce (observer)", "status": "absent"},
]

ATTENDANCE_READ: list[dict[str, Any]] = [
    {"agency_id": ex.POLICE, "name": "Northshire Police Cyber Crime Unit", "status": "present"},
    {"agency_id": ex.COUNCIL, "name": "Northshire County Council", "status": "present"},
    {"agency_id": ex.EASTVALE, "name": "Eastvale District Council", "status": "apologies"},
    {"agency_id": ex.ROCU, "name": "DS Jo Pritchard", "status": "present"},
    {"agency_id": ex.CRC, "name": "Northshire Cyber Resilience Centre", "status": "present"},
    {"agency_id": None, "name": "Chamber of Commerce (observer)", "status": "absent"},
]

CREATE: dict[str, Any] = {
    "title": "Cybercrime Strategic Oversight Board",
    "held_at": "2026-03-12T10:00:00Z",
    "location": "County Hall, committee room 2 (and online)",
    "chair_user_id": ex.CRC_EDITOR,
    "agenda": AGENDA,
    "attendance": ATTENDANCE[:5],
    "tlp": "GREEN",
}

CREATE_AMBER_STRICT: dict[str, Any] = {
    "title": "Ransomware series: tasking with the regional unit",
    "held_at": "2026-03-16T14:00:00Z",
    "location": "Online",
    "agenda": ["Victims so far", "Affiliate infrastructure", "Next steps"],
    "tlp": "AMBER+STRICT",
    "recipient_agencies": [ex.ROCU],
    "protective_marking": "OFFICIAL-SENSITIVE",
}

PATCH: dict[str, Any] = {
    "held_at": "2026-03-12T13:30:00Z",
    "location": "Eastvale Civic Centre, room 4",
}

MINUTES_BODY = (
    "## 2. Cyber crime unit update\n"
    "Reports of ransomware against small businesses rose this quarter, most entering through "
    "phished remote-access credentials. Account takeover of older residents' social media "
    "continued.\n\n"
    "## 3. Recommendations\n"
    "The board agreed the recommendations recorded as decisions and action items."
)

DECISIONS = [
    actions.STRATEGIC_PRIORITY,
    "Support the set-up and use of a Prevent referral process for cyber-dependent crime",
    "Ensure partner staff receive cybercrime prevention advice",
]

MINUTES_IN: dict[str, Any] = {"body": MINUTES_BODY, "decisions": DECISIONS}

REOPEN: dict[str, Any] = {
    "reason": "The ROCU asked for its update to be recorded under item 2 as well."
}

MINUTES_READ: dict[str, Any] = {
    "version": 1,
    "status": "published",
    "body": MINUTES_BODY,
    "decisions": DECISIONS,
    "drafted_by": [ex.POLICE_EDITOR],
    "approved_by": ex.CRC_EDITOR,
    "approved_at": "2026-03-18T16:05:00Z",
    "published_at": "2026-03-19T09:00:00Z",
    "reopen_reason": None,
    "created_at": "2026-03-13T11:20:00Z",
    "updated_at": "2026-03-19T09:00:00Z",
}

READ: dict[str, Any] = {
    "id": ex.MEETING,
    "agency_id": ex.POLICE,
    "author_id": ex.POLICE_EDITOR,
    "title": CREATE["title"],
    "held_at": CREATE["held_at"],
    "location": CREATE["location"],
    "chair_user_id": ex.CRC_EDITOR,
    "agenda": AGENDA,
    "attendance": ATTENDANCE_READ,
    "minutes": MINUTES_READ,
    "tlp": "GREEN",
    "recipient_agencies": [],
    "recipient_users": [],
    "protective_marking": "OFFICIAL",
    "version": 6,
    "created_at": "2026-03-05T12:00:00Z",
    "updated_at": "2026-03-19T09:00:00Z",
}
READ = ex.names_of(READ)

DETAIL: dict[str, Any] = READ | {"actions": [actions.READ]}

CREATE_SAMPLES = {
    "board": {
        "summary": "GREEN: the board meeting, with agenda and attendance",
        "value": CREATE,
    },
    "amber_strict": {
        "summary": "AMBER+STRICT: a tasking meeting shared with the ROCU only",
        "value": CREATE_AMBER_STRICT,
    },
}

ATTENDANCE_SAMPLES = {
    "board": {
        "summary": "Agencies, a named person, and an observer without an agency",
        "value": ATTENDANCE,
    }
}
