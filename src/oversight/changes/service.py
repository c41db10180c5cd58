"""The change feed: which events a principal hears of, from where it stopped."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from oversight.auth.principal import Principal
from oversight.auth.scopes import Scope
from oversight.changes import repository
from oversight.changes.models import ChangeEvent
from oversight.changes.outbox import EVENT_TYPES, RESOURCE_TYPES
from oversight.errors import BadRequest

# The scope that reads each resource: the feed of a principal holds only what it may read.
READ_SCOPE = {
    "bulletin": Scope.bulletins_read.value,
    "meeting": Scope.meetings_read.value,
    "action": Scope.actions_read.value,
    "report": Scope.reports_read.value,
}
KNOWN_TYPES = frozenset(EVENT_TYPES.values())


@dataclass(frozen=True, slots=True)
class FeedPage:
    items: list[ChangeEvent]
    position: int  # where the next read starts (the last event read, or the head)
    more: bool


def parse_types(value: str | None) -> tuple[list[str], list[str]]:
    """`bulletin,meeting.minutes_published` → (resources, event types); unknown names: 400."""
    if not value:
        return list(RESOURCE_TYPES), []
    resources: set[str] = set()
    kinds: set[str] = set()
    for name in (n.strip() for n in value.split(",")):
        if name in RESOURCE_TYPES:
            resources.add(name)
        elif name in KNOWN_TYPES:
            kinds.add(name)
        else:
            raise BadRequest(
                f"Unknown type {name!r} in types: use {', '.join(RESOURCE_TYPES)} or an "
                "event type such as bulletin.published"
            )
    if kinds:  # an event type names its resource too
        resources |= {k.split(".")[0] for k in kinds}
        kinds |= {k for k in KNOWN_TYPES if k.split(".")[0] in resources - _of(kinds)}
    return sorted(resources), sorted(kinds)


def _of(kinds: set[str]) -> set[str]:
    return {k.split(".")[0] for k in kinds}


def feed(
    session: Session,
    principal: Principal,
    position: int,
    types: str | None,
    limit: int,
) -> FeedPage:
    resources, kinds = parse_types(types)
    resources = [r for r in resources if READ_SCOPE[r] in principal.scopes]
    # The head first, then the events up to it: all of them are committed and numbered
    # (migration 0009), so a position given back is never passed by a later commit.
    upto = repository.head(session)
    rows = repository.after(session, principal, position, upto, resources, kinds, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    last = (rows[-1].position or position) if more else max(upto, position)
    return FeedPage(rows, last, more)
