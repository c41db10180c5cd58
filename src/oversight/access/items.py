"""What the services of classified items do alike around one item: create it, show it as
the caller sees it, read it by id, take it for a writer of the owning agency, refuse edits
once it is withdrawn, and withdraw it."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from oversight.access import writing
from oversight.access.classification import ClassificationIn
from oversight.access.models import Classified
from oversight.access.repository import ClassifiedRepository
from oversight.auth.principal import Principal
from oversight.errors import Conflict

M = TypeVar("M", bound=Classified)
R = TypeVar("R")
Repo = TypeVar("Repo", bound=ClassifiedRepository)  # type: ignore[type-arg]


@dataclass(frozen=True)
class Items(Generic[M, Repo, R]):
    """A kind of classified item for its service: its repository, how a list of them is
    presented to the caller, the 403 a writer outside the owning agency gets, and the 403 of
    a caller who may not create this kind."""

    repository: type[Repo]
    present: Callable[[Session, Principal, list[M]], list[R]]
    refusal: str
    creating_refusal: str

    def create(self, session: Session, principal: Principal, data: ClassificationIn, item: M) -> R:
        """`item`, new in the caller's agency and classified as `data` says, if the caller
        writes this kind there (403)."""
        model = self.repository.model
        classification = writing.new_classification(principal, model, data, self.creating_refusal)
        repo = self.repository(session, principal)
        return self.shown(session, principal, repo.add(item, classification))

    def shown(self, session: Session, principal: Principal, item: M) -> R:
        return self.present(session, principal, [item])[0]

    def get(self, session: Session, principal: Principal, item_id: uuid.UUID) -> R:
        return self.shown(session, principal, self.repository(session, principal).get(item_id))

    def writable(
        self,
        session: Session,
        principal: Principal,
        item_id: uuid.UUID,
        expected: int | None,
        *,
        versioned: bool = True,
    ) -> tuple[Repo, M]:
        """The repository and the item, locked (see `writing.writable`)."""
        repo = self.repository(session, principal)
        item = writing.writable(repo, item_id, expected, self.refusal, versioned=versioned)
        return repo, item

    def editable(
        self, session: Session, principal: Principal, item_id: uuid.UUID, expected: int | None
    ) -> tuple[Repo, M]:
        """`writable`, and 409 once the item is withdrawn: its readers keep what they saw."""
        repo, item = self.writable(session, principal, item_id, expected)
        if item.status == "withdrawn":
            raise Conflict(f"A withdrawn {repo.resource} cannot be edited")
        return repo, item

    def withdrawn(
        self,
        session: Session,
        principal: Principal,
        item_id: uuid.UUID,
        reason: str,
        expected: int | None,
        *,
        allowed_from: str,
    ) -> M:
        """The item withdrawn with its reason (see `writing.withdraw`), flushed."""
        repo, item = self.writable(session, principal, item_id, expected)
        writing.withdraw(item, reason, allowed_from=allowed_from, noun=repo.resource)
        session.flush()
        return item
