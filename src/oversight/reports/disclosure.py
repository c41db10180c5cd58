"""THE disclosure control of every figure derived from reports (contract §15), written once.

A cell is published only when it holds at least `MIN_REPORTS` reports from at least
`MIN_AGENCIES` agencies (primary suppression). Then, as the ONS does for small counts,
further cells of the same group are suppressed (secondary suppression) until the suppressed
cells together also pass that rule — so no suppressed cell is ever alone, and the total minus
the published cells gives only a sum that itself could have been published. The smallest
published cells go first, so the least information is lost. The total is a cell of its own
under the same rule. Worked example: docs/statistics.md.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

MIN_REPORTS = 5
MIN_AGENCIES = 3


@dataclass(slots=True)
class Cell:
    """One figure before control: how many reports, their loss, and from which agencies."""

    key: str
    count: int = 0
    financial_loss_gbp: int = 0
    agencies: set[uuid.UUID] = field(default_factory=set)

    def add(self, count: int, loss: int, agency: uuid.UUID) -> None:
        self.count += count
        self.financial_loss_gbp += loss
        self.agencies.add(agency)


@dataclass(frozen=True, slots=True)
class Published:
    """One figure after control: `count` and `financial_loss_gbp` are None when suppressed."""

    key: str
    count: int | None
    financial_loss_gbp: int | None
    suppressed: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "count": self.count,
            "financial_loss_gbp": self.financial_loss_gbp,
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True, slots=True)
class Table:
    cells: list[Published]
    total: Published

    @property
    def suppressed_cells(self) -> int:
        return sum(c.suppressed for c in self.cells)


RULE = {"min_reports": MIN_REPORTS, "min_agencies": MIN_AGENCIES, "secondary": True}


def passes(count: int, agencies: int) -> bool:
    return count >= MIN_REPORTS and agencies >= MIN_AGENCIES


def _passes(cells: Iterable[Cell]) -> bool:
    cells = list(cells)
    agencies: set[uuid.UUID] = set().union(*(c.agencies for c in cells)) if cells else set()
    return passes(sum(c.count for c in cells), len(agencies))


def _shown(cell: Cell, hidden: bool) -> Published:
    if hidden:
        return Published(cell.key, None, None, True)
    return Published(cell.key, cell.count, cell.financial_loss_gbp, False)


def control(cells: Iterable[Cell], key: str = "total") -> Table:
    """The cells of one group (they partition the total) and their total, as published."""
    cells = [c for c in cells if c.count > 0]
    total = Cell(key)
    for c in cells:
        total.count += c.count
        total.financial_loss_gbp += c.financial_loss_gbp
        total.agencies |= c.agencies
    hidden = {c.key for c in cells if not _passes([c])}
    if hidden:
        # Secondary: hide the smallest published cells until the hidden ones, together,
        # could have been published (then subtraction yields nothing smaller).
        for c in sorted(cells, key=lambda c: (c.count, c.financial_loss_gbp, c.key)):
            if _passes(x for x in cells if x.key in hidden) and len(hidden) > 1:
                break
            hidden.add(c.key)
    if not _passes([total]):
        hidden = {c.key for c in cells}
    return Table([_shown(c, c.key in hidden) for c in cells], _shown(total, not _passes([total])))


def share(part: Published, total: Published) -> float | None:
    """A published cell as a share of its published total (None if either is suppressed)."""
    if part.count is None or not total.count:
        return None
    return round(part.count / total.count, 4)
