"""Audit record representations and the answer of a chain verification."""

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from oversight.samples import with_samples
from oversight.web.filters import AgencyFilter
from oversight.web.timestamps import Timestamp

RECORD_SAMPLE: dict[str, Any] = {
    "seq": 1042,
    "at": "2026-11-27T09:30:00.123456Z",
    "actor_type": "user",
    "actor_id": "3f0c7f8e-7a51-4c35-9f1f-2a6f6f1b9c10",
    "agency_id": "8b7d1f0e-52a4-4d4e-9a55-6b0c2d1e7f21",
    "action": "agency.update",
    "resource_type": "agency",
    "resource_id": "8b7d1f0e-52a4-4d4e-9a55-6b0c2d1e7f21",
    "outcome": "success",
    "changes": {"name": {"before": "North Police", "after": "Northshire Police"}},
    "ip": "10.20.30.40",
    "user_agent": "Mozilla/5.0",
    "request_id": "0b5e1c7d9a2f4f3e8c6b1a0d2e4f6a8b",
    "prev_hash": "9f2b5c1e" + "0" * 56,
    "hash": "4c1d8e7a" + "f" * 56,
}

EXPORT_SAMPLE = json.dumps(RECORD_SAMPLE, sort_keys=True, separators=(",", ":")) + "\n"


class AuditFilter(BaseModel):
    """The query of the trail's list: filters that combine with AND; `since` is inclusive,
    `until` exclusive."""

    actor_id: str | None = Field(
        None, max_length=64, description="A user or service account id, or `system`"
    )
    agency_id: AgencyFilter = None
    action: str | None = Field(None, max_length=64, examples=["auth.login_failed"])
    resource_type: str | None = Field(None, max_length=32, examples=["user"])
    resource_id: str | None = Field(None, max_length=64)
    since: Timestamp | None = None
    until: Timestamp | None = None


class AuditRecordRead(BaseModel):
    """One link of the chain, exactly as hashed (plus its `hash`)."""

    model_config = with_samples(RECORD_SAMPLE, from_attributes=True)

    seq: int = Field(description="Position in the chain: 1, 2, 3, … without gaps")
    at: datetime
    actor_type: Literal["user", "service", "system", "anonymous"]
    actor_id: str | None
    agency_id: str | None
    action: str = Field(examples=["auth.login_failed", "user.roles_change"])
    resource_type: str | None
    resource_id: str | None
    outcome: str = Field(examples=["success", "failure", "denied"])
    changes: dict[str, Any] | None = Field(
        description="Before/after values of metadata fields; content fields only as "
        "`before_sha256`/`after_sha256` digests; secrets never"
    )
    ip: str | None
    user_agent: str | None
    request_id: str | None
    prev_hash: str = Field(description="`hash` of the record before (64 zeros for the first)")
    hash: str = Field(description="hex SHA-256 of `prev_hash` ‖ canonical JSON of the record")


class VerifyResult(BaseModel):
    """Whether the whole chain recomputes, and where it breaks when it does not."""

    model_config = with_samples(
        {
            "ok": True,
            "records": 1042,
            "head_hash": RECORD_SAMPLE["hash"],
            "first_bad_seq": None,
        },
        {
            "ok": False,
            "records": 516,
            "head_hash": RECORD_SAMPLE["prev_hash"],
            "first_bad_seq": 517,
            "reason": "hash does not match the record's content",
        },
    )

    ok: bool
    records: int = Field(description="Records verified intact (all of them when `ok`)")
    head_hash: str = Field(
        description="`hash` of the last intact record: keep it with `records` as a checkpoint "
        "(`expected_seq`, `expected_head`) for the next verification"
    )
    first_bad_seq: int | None = Field(description="The first record that does not fit, if any")
    reason: str | None = Field(default=None, description="Why the chain breaks there")
