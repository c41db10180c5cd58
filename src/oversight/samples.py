"""Identifiers and names shared by the samples in the API documentation (the OpenAPI
document's `example`/`examples`).

One set, so the handbook's samples refer to one another: the bulletin an action answers is
the bulletin shown under Bulletins, its owner agency the one shown under Agencies. The
agencies and people are those of the demo data set (`oversight demo`); the ids are made up.
A schema names its samples with `with_samples`.
"""

from typing import Any

from pydantic import ConfigDict


def with_samples(*samples: Any, **config: Any) -> ConfigDict:
    """A schema's configuration with the samples the API documentation shows for it."""
    return ConfigDict(json_schema_extra={"examples": list(samples)}, **config)


# Agencies
POLICE = "490d92ba-9e6f-45bf-bdc1-d1a080928937"  # Northshire Police Cyber Crime Unit
COUNCIL = "6c3798a3-f364-48a2-ba3e-0e8d943b974c"  # Northshire County Council
EASTVALE = "8dbaa42d-43ea-4b78-bea2-b125bbc911de"  # Eastvale District Council
ROCU = "cd42ae01-dc7d-479b-b676-f4b8a206022e"  # Northern Regional Organised Crime Unit
CRC = "57b464d4-978a-4358-b5fb-cae4393f30c2"  # Northshire Cyber Resilience Centre

# People
POLICE_EDITOR = "4fadeb45-e83d-42b1-9f52-498ce628f82f"  # Dan Whitfield, editor
CRC_EDITOR = "8a82932e-ab08-4bb4-8cc9-a33c98365c4b"  # Morgan Lee, editor, chairs the board
ROCU_MEMBER = "788b919c-2169-4988-9adb-61cda8d49499"  # Jo Pritchard
COUNCIL_MEMBER = "5c1e1902-c990-4524-8da3-bbe6cae1cbb6"  # Ruth Adeyemi

# Items
SERVICE_ACCOUNT = "4ac79f52-3fff-43f0-908e-7e991e246a05"
BULLETIN = "4351ecc3-edc2-46b7-8aa6-6861d9e30372"
REVISION = "fbca4f90-5c09-4e32-9505-beba26354550"
ACKNOWLEDGEMENT = "3520fd5e-b43d-466d-bc41-556c59282e3d"
MEETING = "c66ff2e6-4c9b-4bd7-a82b-f249f49ca51c"
ACTION = "48b550cc-4b09-466b-ab0b-37afca308e1b"
ACTION_UPDATE = "5a6a21c4-feb3-4d7a-ad0b-166a0d26d341"
REPORT = "b7f3c2d1-6a4e-4f0b-9c8d-2e1f0a3b4c5d"

# Names beside ids, as the answers show them (contract §12).
AGENCIES = {
    POLICE: ("Northshire Police Cyber Crime Unit", "police-cyber"),
    COUNCIL: ("Northshire County Council", "county-council"),
    EASTVALE: ("Eastvale District Council", "eastvale-council"),
    ROCU: ("Northern Regional Organised Crime Unit", "rocu"),
    CRC: ("Northshire Cyber Resilience Centre", "crc"),
}
PEOPLE = {
    POLICE_EDITOR: "Dan Whitfield",
    CRC_EDITOR: "Morgan Lee",
    ROCU_MEMBER: "Jo Pritchard",
    COUNCIL_MEMBER: "Ruth Adeyemi",
}


def agency(agency_id: str) -> dict[str, str]:
    name, slug = AGENCIES[agency_id]
    return {"id": agency_id, "name": name, "slug": slug}


def person(person_id: str) -> dict[str, str]:
    return {"id": person_id, "display_name": PEOPLE[person_id]}


def names_of(sample: dict[str, Any]) -> dict[str, Any]:
    """The sample with names beside its ids, as a reader of the owning agency sees it."""
    out = dict(sample)
    for field, source, named in (
        ("agency", "agency_id", agency),
        ("owner_agency", "owner_agency_id", agency),
        ("author", "author_id", person),
        ("chair", "chair_user_id", person),
        ("assignee", "assignee_user_id", person),
    ):
        if source in sample:
            out[field] = named(sample[source]) if sample[source] else None
    if "recipient_agencies" in sample:
        out["shared_with_you"] = False
    return out
