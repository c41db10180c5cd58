"""Samples of action item bodies and answers, for the API documentation."""

from typing import Any

from oversight import samples as ex

STRATEGIC_PRIORITY = "Adopt cybercrime as a strategic priority across local authorities"

CREATE_FROM_MEETING: dict[str, Any] = {
    "title": STRATEGIC_PRIORITY,
    "description": "Recommendation of the board: each council names cybercrime as a "
    "priority in its community safety plan and reports progress to the next board.",
    "meeting_id": ex.MEETING,
    "owner_agency_id": ex.COUNCIL,
    "assignee_user_id": ex.COUNCIL_MEMBER,
    "due_date": "2026-06-30",
    "priority": "high",
    "tlp": "GREEN",
}

CREATE_FROM_BULLETIN: dict[str, Any] = {
    "title": "Check the council's SSL-VPN appliances against CVE-2023-27997",
    "description": "Raised by the ransomware bulletin: confirm the FortiOS appliances are "
    "patched and that every remote login needs MFA.",
    "bulletin_id": ex.BULLETIN,
    "owner_agency_id": ex.EASTVALE,
    "due_date": "2026-03-20",
    "priority": "high",
    "tlp": "AMBER",
    "recipient_agencies": [ex.EASTVALE],
}

PATCH_STATUS: dict[str, Any] = {
    "status": "in_progress",
    "note": "Cabinet paper drafted; it goes to the county cabinet on 14 April.",
}

PATCH_EDIT: dict[str, Any] = {"due_date": "2026-07-31", "priority": "medium"}

UPDATE_IN: dict[str, Any] = {
    "note": "Adopted by the county cabinet; the district councils follow in May.",
    "status": "done",
}

NOTE_ONLY: dict[str, Any] = {"note": "Eastvale has added it to its community safety plan."}

READ: dict[str, Any] = {
    "id": ex.ACTION,
    "agency_id": ex.POLICE,
    "author_id": ex.POLICE_EDITOR,
    "title": STRATEGIC_PRIORITY,
    "description": CREATE_FROM_MEETING["description"],
    "meeting_id": ex.MEETING,
    "bulletin_id": None,
    "owner_agency_id": ex.COUNCIL,
    "assignee_user_id": ex.COUNCIL_MEMBER,
    "due_date": "2026-06-30",
    "priority": "high",
    "status": "in_progress",
    "rag_status": "green",
    "overdue": False,
    "tlp": "GREEN",
    "recipient_agencies": [],
    "recipient_users": [],
    "protective_marking": "OFFICIAL",
    "version": 2,
    "created_at": "2026-03-12T15:02:10Z",
    "updated_at": "2026-03-19T09:30:00Z",
    "closed_at": None,
}
READ = ex.names_of(READ)

UPDATE_READ: dict[str, Any] = {
    "id": ex.ACTION_UPDATE,
    "action_id": ex.ACTION,
    "author_id": ex.COUNCIL_MEMBER,
    "author_kind": "user",
    "author_agency_id": ex.COUNCIL,
    "note": PATCH_STATUS["note"],
    "from_status": "open",
    "to_status": "in_progress",
    "created_at": "2026-03-19T09:30:00Z",
}
UPDATE_READ = ex.names_of(UPDATE_READ)

UPDATE_RESULT: dict[str, Any] = UPDATE_READ | {"action": READ}

CREATE_SAMPLES = {
    "from_meeting": {
        "summary": "A board recommendation, owned by the county council",
        "value": CREATE_FROM_MEETING,
    },
    "from_bulletin": {
        "summary": "An AMBER action raised by a bulletin",
        "value": CREATE_FROM_BULLETIN,
    },
}

PATCH_SAMPLES = {
    "status": {"summary": "Move the status, with a note for the log", "value": PATCH_STATUS},
    "edit": {"summary": "Give more time (editors of the creating agency)", "value": PATCH_EDIT},
}

UPDATE_SAMPLES = {
    "done": {"summary": "Report it done", "value": UPDATE_IN},
    "note": {"summary": "Add a note, status unchanged", "value": NOTE_ONLY},
}
