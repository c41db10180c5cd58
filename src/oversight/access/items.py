"""What the services of classified items do alike around one item: show it as the caller
sees it, read it by id, and take it for a writer of the owning agency."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from oversight.access import writing
from oversight.access.models import Classified
from oversight.access.repository import ClassifiedRepository
from oversight.auth.principal import Principal

M = TypeVar("M", bound=Classified)
R = TypeVar("R")
Repo = TypeVar("Repo", bound=ClassifiedRepository)  # type: ignore[type-arg]


@dataclass(frozen=True)
class Items(Generic[M, Repo, R]):
    """A kind of classified item for its service: its repository, how a list of them is
    presented to the caller, and the 403 a writer outside the owning agency gets."""

    repository: Callable[[Session, Principal], Repo]
    present: Callable[[Session, Principal, list[M]], list[R]]
    refusal: str

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
