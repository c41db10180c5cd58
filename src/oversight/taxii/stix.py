"""STIX 2.1 objects of a bulletin (contract §13), built with the OASIS `stix2` library.

Each builder takes the object's stored id and timestamps and returns its JSON; `stix2`
checks every property (no custom one is allowed), so what is stored is valid STIX.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import stix2

from oversight.taxii import markings

# The STIX patterns of contract §13, by indicator type.
_PATTERN_PATHS = {
    "ipv4": "ipv4-addr:value",
    "ipv6": "ipv6-addr:value",
    "domain": "domain-name:value",
    "url": "url:value",
    "email": "email-addr:value",
    "md5": "file:hashes.MD5",
    "sha1": "file:hashes.'SHA-1'",
    "sha256": "file:hashes.'SHA-256'",
    "filename": "file:name",
}


@dataclass(frozen=True, slots=True)
class Stamp:
    """The identity of one version: its id, when the object was created, this version's time."""

    stix_id: str
    created: datetime
    modified: datetime
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class Marked:
    """What every object of a bulletin shares: its author's identity and its markings."""

    identity_id: str
    marking_refs: list[str]
    published: datetime


def marked(identity_id: str, tlp: str, protective_marking: str, published: datetime) -> Marked:
    return Marked(identity_id, markings.refs(tlp, protective_marking), published)


def _common(stamp: Stamp, m: Marked) -> dict[str, Any]:
    return {
        "id": stamp.stix_id,
        "created": stamp.created,
        "modified": stamp.modified,
        "created_by_ref": m.identity_id,
        "object_marking_refs": m.marking_refs,
        "revoked": stamp.revoked,
        "allow_custom": False,
    }


def _json(obj: Any) -> str:
    return str(obj.serialize(sort_keys=True))


def pattern(kind: str, value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"[{_PATTERN_PATHS[kind]} = '{escaped}']"


def indicator(stamp: Stamp, m: Marked, kind: str, value: str, description: str) -> str:
    return _json(
        stix2.v21.Indicator(
            name=f"{kind} {value}"[:250],
            description=description,
            indicator_types=["malicious-activity"],
            pattern=pattern(kind, value),
            pattern_type="stix",
            valid_from=m.published,
            **_common(stamp, m),
        )
    )


def vulnerability(stamp: Stamp, m: Marked, cve: str, description: str) -> str:
    return _json(
        stix2.v21.Vulnerability(
            name=cve,
            description=description,
            external_references=[{"source_name": "cve", "external_id": cve}],
            **_common(stamp, m),
        )
    )


def report(
    stamp: Stamp,
    m: Marked,
    *,
    title: str,
    summary: str,
    body: str,
    labels: list[str],
    references: list[str],
    object_refs: list[str],
) -> str:
    description = f"{summary}\n\n{body}".strip() if body else summary
    extra: dict[str, Any] = {}
    if references:
        # The address as a description: STIX best practice (strict validation) wants a hash
        # of what a `url` points to, which the service does not have.
        extra["external_references"] = [
            {"source_name": "reference", "description": u} for u in references
        ]
    return _json(
        stix2.v21.Report(
            name=title,
            description=description,
            report_types=["threat-report"],
            published=m.published,
            object_refs=object_refs or [m.identity_id],
            labels=labels,
            **extra,
            **_common(stamp, m),
        )
    )


def identity(stamp: Stamp, name: str) -> str:
    return _json(
        stix2.v21.Identity(
            id=stamp.stix_id,
            created=stamp.created,
            modified=stamp.modified,
            name=name,
            identity_class="organization",
            allow_custom=False,
        )
    )


def marking(definition: dict[str, Any]) -> str:
    """A marking definition exactly as published (its JSON, keys sorted)."""
    return json.dumps(definition, sort_keys=True, separators=(", ", ": "))


def without_times(body: str) -> dict[str, Any]:
    """An object's content, for telling whether a new version changes anything."""
    doc = json.loads(body)
    for name in ("created", "modified", "valid_from", "published"):
        doc.pop(name, None)
    return dict(doc)


def revoked(body: str, stamp: Stamp) -> str:
    """The last version of an object, revoked (checked again by `stix2`)."""
    doc = json.loads(body)
    doc["revoked"] = True
    doc["modified"] = stamp.modified
    return _json(stix2.parse(doc, allow_custom=False, version="2.1"))
