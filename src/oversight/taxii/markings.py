"""Marking definitions: the five TLP 2.0 objects exactly as OASIS publishes them, and the
statement for OFFICIAL-SENSITIVE.

The TLP 2.0 objects are those of OASIS's cti-stix-common-objects (`objects/marking-definition`
and `extension-definition-specifications/tlp-2.0`); the `stix2` package's own `TLP_*`
constants are the TLP 1.0 ones and are not used.
"""

from typing import Any

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"

_TLP2_IDS = {
    "CLEAR": ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"),
    "GREEN": ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"),
    "AMBER": ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"),
    "AMBER+STRICT": ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"),
    "RED": ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"),
}


def _tlp2(tlp: str) -> dict[str, Any]:
    stix_id, level = _TLP2_IDS[tlp]
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": stix_id,
        "created": TLP2_CREATED,
        "name": f"TLP:{tlp}",
        "extensions": {
            TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level},
        },
    }


TLP2: dict[str, dict[str, Any]] = {tlp: _tlp2(tlp) for tlp in _TLP2_IDS}

OFFICIAL_SENSITIVE: dict[str, Any] = {
    "type": "marking-definition",
    "spec_version": "2.1",
    # Drawn at random once for this service; the same in every deployment.
    "id": "marking-definition--1f6a2b9e-7c4d-4e8a-9b35-2d0c6e8f4a71",
    "created": "2026-12-05T00:00:00.000Z",
    "name": "OFFICIAL-SENSITIVE",
    "definition_type": "statement",
    "definition": {
        "statement": "OFFICIAL-SENSITIVE (UK Government Security Classifications): handle on a "
        "need-to-know basis; do not share beyond the recipients this was shared with."
    },
}

ALL: tuple[dict[str, Any], ...] = (*TLP2.values(), OFFICIAL_SENSITIVE)


def refs(tlp: str, protective_marking: str) -> list[str]:
    """The marking refs of an item of this TLP and protective marking."""
    out = [TLP2[tlp]["id"]]
    if protective_marking == "OFFICIAL-SENSITIVE":
        out.append(OFFICIAL_SENSITIVE["id"])
    return out
