"""The checks a classification passes on every classified item, and merging a PATCH into it.

Recipient agencies belong to AMBER and AMBER+STRICT, recipient users to RED, and a service
account never classifies RED (it could not read the item back). Who may change a
classification: the writers of the owning agency who can read the item (the services check
`may_write`; the repository's 404 does the rest), and for a RED item its author alone.
"""

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from oversight.access.classification import TLP, ClassificationIn, ClassificationPatch
from oversight.auth.principal import Principal
from oversight.errors import Forbidden, Unprocessable

AMBER_LEVELS = frozenset({TLP.amber, TLP.amber_strict})


@dataclass(frozen=True, slots=True)
class Classification:
    tlp: TLP
    recipient_agencies: list[uuid.UUID]
    recipient_users: list[uuid.UUID]
    protective_marking: str

    def as_kwargs(self) -> dict[str, Any]:
        return asdict(self)


def check(principal: Principal, c: Classification) -> Classification:
    if c.tlp == TLP.red and principal.kind != "user":
        raise Unprocessable.for_field(
            "tlp", "A service account may not classify an item RED", "red_service"
        )
    if c.recipient_agencies and c.tlp not in AMBER_LEVELS:
        raise Unprocessable.for_field(
            "recipient_agencies",
            "Recipient agencies apply only to AMBER and AMBER+STRICT",
            "value_error",
        )
    if c.recipient_users and c.tlp != TLP.red:
        raise Unprocessable.for_field(
            "recipient_users", "Recipient users apply only to RED", "value_error"
        )
    return c


def of_new(principal: Principal, body: ClassificationIn) -> Classification:
    return check(
        principal,
        Classification(
            TLP(body.tlp),
            list(body.recipient_agencies),
            list(body.recipient_users),
            str(body.protective_marking),
        ),
    )


def _keep_or_new(
    given: Sequence[uuid.UUID] | None, current: Sequence[Any], applies: bool
) -> list[uuid.UUID]:
    if given is not None:
        return list(given)
    return [uuid.UUID(str(i)) for i in current] if applies else []


def merged(principal: Principal, item: Any, patch: ClassificationPatch) -> Classification | None:
    """The item's classification after `patch`, checked; None when the patch leaves it as is.

    Recipients not named in the patch are kept while they still apply to the new TLP.
    """
    tlp = TLP(patch.tlp or item.tlp)
    new = Classification(
        tlp,
        _keep_or_new(patch.recipient_agencies, item.recipient_agencies, tlp in AMBER_LEVELS),
        _keep_or_new(patch.recipient_users, item.recipient_users, tlp == TLP.red),
        str(patch.protective_marking or item.protective_marking),
    )
    was = (item.tlp, set(item.recipient_agencies), set(item.recipient_users))
    now = (
        tlp.value,
        {str(a) for a in new.recipient_agencies},
        {str(u) for u in new.recipient_users},
    )
    if was == now and new.protective_marking == item.protective_marking:
        return None
    if item.tlp == TLP.red and principal.id != item.author_id:
        # The people named on a RED item read it; only its author decides who else may.
        raise Forbidden("Only the author of a RED item may change its classification")
    return check(principal, new)
