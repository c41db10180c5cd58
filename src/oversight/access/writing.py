"""What the services of classified items do alike when they write one: classify a new one,
take one for a writer, reclassify it, copy the fields a body gives, withdraw it."""

import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from oversight.access import rules
from oversight.access.classification import ClassificationIn, ClassificationPatch
from oversight.access.models import Classified
from oversight.access.policy import may_write
from oversight.access.repository import ClassifiedRepository
from oversight.auth.principal import Principal
from oversight.db import utcnow
from oversight.db.versions import require_version
from oversight.errors import Conflict, Forbidden

M = TypeVar("M", bound=Classified)


def new_classification(
    principal: Principal, model: type[Classified], body: ClassificationIn, refusal: str
) -> rules.Classification:
    """The checked classification of a new item of the caller's agency, if it writes that
    kind there (403, with `refusal`)."""
    if not may_write(principal, model, principal.agency_id):
        raise Forbidden(refusal)
    return rules.of_new(principal, body)


def writable(
    repo: ClassifiedRepository[M],
    item_id: uuid.UUID,
    expected_version: int | None,
    refusal: str,
    *,
    versioned: bool = True,
) -> M:
    """The item, locked, if the caller reads it (404), writes for its agency (403, with
    `refusal`) and names its current version (428, 412)."""
    item = repo.get(item_id, for_update=True)
    if not may_write(repo.principal, repo.model, item.agency_id):
        raise Forbidden(refusal)
    if versioned:
        require_version(expected_version, item.version)  # type: ignore[attr-defined]
    return item


def reclassify(repo: ClassifiedRepository[M], item: M, patch: ClassificationPatch) -> None:
    """The classification the patch names, checked and set; none named leaves it as is."""
    classification = rules.merged(repo.principal, item, patch)
    if classification is not None:
        repo.classify(item, **classification.as_kwargs())


def assign(item: Any, values: dict[str, Any]) -> list[str]:
    """Set the values that differ from the item's; the names of those changed."""
    changed = [name for name, value in values.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, values[name])
    return changed


def edit(
    repo: ClassifiedRepository[M], item: M, body: ClassificationPatch, editable: Iterable[str]
) -> None:
    """An edit: the `editable` fields `body` gives set where they differ, the item
    reclassified as `body` asks, and both written."""
    assign(item, body.model_dump(include=body.model_fields_set & set(editable)))
    reclassify(repo, item, body)
    repo.session.flush()


def withdraw(item: Any, reason: str, *, allowed_from: str, noun: str) -> None:
    """Withdrawn, with its reason: its readers still see it, marked so."""
    if item.status != allowed_from:
        raise Conflict(f"Only a {allowed_from} {noun} can be withdrawn; this one is {item.status}")
    item.status = "withdrawn"
    item.withdrawn_at = utcnow()
    item.withdrawal_reason = reason
