"""What the trail records of a row's change: metadata in clear, content as digests, secrets
never (`Audited` says which is which), as JSON the chain can hash."""

import enum
import hashlib
import json
import math
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, inspect

from oversight.audit.chain import rfc3339


class Audited:
    """Marker: every insert, update and delete of this model is recorded.

    Only the `__audit_metadata__` fields are recorded in clear; every other field is
    content, recorded as a SHA-256 digest, so a field added later is digested unless someone
    decides otherwise. `__audit_secret__` and `__audit_ignore__` fields are never recorded.
    An update that moves `status` to one of `__audit_status_steps__` is recorded as that
    lifecycle step (`{"published": "publish"}`: `<resource>.publish`); `audit_step` names
    the other steps.
    """

    __audit_resource__: ClassVar[str]
    __audit_metadata__: ClassVar[frozenset[str]]
    __audit_secret__: ClassVar[frozenset[str]] = frozenset()
    __audit_ignore__: ClassVar[frozenset[str]] = frozenset({"created_at", "updated_at"})
    __audit_status_steps__: ClassVar[dict[str, str]] = {}

    def audit_action(self, op: str, changes: dict[str, Any]) -> str:
        """The action name of a change: `<resource>.<step>` for a lifecycle step, else
        `<resource>.<op>`."""
        status = changes.get("status")
        moved_to = status.get("after") if op == "update" and isinstance(status, dict) else None
        step = self.__audit_status_steps__.get(moved_to) if moved_to else None
        return f"{self.__audit_resource__}.{step or self.audit_step(op, changes) or op}"

    def audit_step(self, op: str, changes: dict[str, Any]) -> str | None:
        """The lifecycle step a change is besides a status step (`reclassify`); models
        override it."""
        return None


def digest(value: Any) -> str | None:
    if value is None:
        return None
    data = value if isinstance(value, str) else json.dumps(jsonable(value), sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


def jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def _side(obj: Audited, name: str, value: Any, side: str) -> dict[str, Any]:
    if name in obj.__audit_metadata__:
        return {side: jsonable(value)}
    return {f"{side}_sha256": digest(value)}


def stored_columns(mapper: Any) -> list[Any]:
    """The mapped attributes that are columns of the table (not computed expressions)."""
    return [a for a in mapper.column_attrs if isinstance(a.columns[0], Column)]


def changes_of(obj: Audited, op: str) -> dict[str, Any]:
    state = inspect(obj)
    skip = obj.__audit_secret__ | obj.__audit_ignore__
    out: dict[str, Any] = {}
    for attr in stored_columns(state.mapper):
        name = attr.key
        if name in skip:
            continue
        if op == "update":
            hist = state.attrs[name].history
            if not hist.has_changes():
                continue
            before = hist.deleted[0] if hist.deleted else None
            after = hist.added[0] if hist.added else None
            if jsonable(before) == jsonable(after):
                continue
            out[name] = _side(obj, name, before, "before") | _side(obj, name, after, "after")
        else:
            side = "after" if op == "create" else "before"
            out[name] = _side(obj, name, getattr(obj, name), side)
    return out
