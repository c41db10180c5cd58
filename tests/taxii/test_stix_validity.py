"""Every object the demo set puts in the collection is valid STIX 2.1: 0 errors and 0
warnings from the OASIS validator in strict mode, and `stix2` parses it with no custom
content allowed."""

import json

import stix2
from sqlalchemy import select
from stix2validator import ValidationOptions, validate_instance

from oversight import demo
from oversight.taxii.markings import ALL, TLP2
from oversight.taxii.models import StixVersion


def test_every_demo_object_is_strictly_valid_stix(db):
    demo.load(db)
    db.commit()
    bodies = db.scalars(select(StixVersion.body).order_by(StixVersion.date_added)).all()
    objects = [json.loads(b) for b in bodies]
    types = {o["type"] for o in objects}
    assert {"report", "indicator", "vulnerability", "identity", "marking-definition"} <= types
    assert any(o.get("revoked") for o in objects)  # the demo's withdrawn bulletin
    options = ValidationOptions(version="2.1", strict=True)
    failures = []
    for obj in objects:
        result = validate_instance(obj, options)
        if not result.is_valid or result.warnings:
            failures.append((obj["id"], [str(e) for e in result.errors], result.warnings))
        stix2.parse(obj, allow_custom=False, version="2.1")
    assert failures == [], {m for f in failures for m in f[1] + f[2]}
    # Strict mode is on: a bare URL reference (no hash) would have failed.
    bare = next(o for o in objects if o["type"] == "report")
    bare = {**bare, "external_references": [{"source_name": "x", "url": "https://x.example"}]}
    assert not validate_instance(bare, options).is_valid


def test_the_tlp_markings_are_those_oasis_publishes():
    """The TLP 2.0 marking definitions of OASIS's cti-stix-common-objects, ids unchanged."""
    ids = {tlp: m["id"] for tlp, m in TLP2.items()}
    assert ids == {
        "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    }
    assert TLP2["AMBER+STRICT"] == {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        "created": "2022-10-01T00:00:00.000Z",
        "name": "TLP:AMBER+STRICT",
        "extensions": {
            "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
                "extension_type": "property-extension",
                "tlp_2_0": "amber+strict",
            }
        },
    }
    for marking in ALL:
        stix2.parse(marking, allow_custom=False, version="2.1")
