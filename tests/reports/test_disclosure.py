"""Disclosure control as properties: for any set of cells, no published cell is below the
threshold, and no suppressed value can be recovered by subtraction from the total and the
published cells of its group."""

import uuid

from hypothesis import given
from hypothesis import strategies as st

from oversight.reports import disclosure
from oversight.reports.disclosure import MIN_AGENCIES, MIN_REPORTS, Cell

AGENCIES = [uuid.UUID(int=i + 1) for i in range(6)]


@st.composite
def groups(draw: st.DrawFn) -> list[Cell]:
    """Cells of one group: each a few (agency, count, loss) tallies."""
    keys = draw(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=8, unique=True))
    cells = []
    for key in keys:
        cell = Cell(key)
        for agency in draw(st.sets(st.sampled_from(AGENCIES), min_size=1, max_size=4)):
            cell.add(draw(st.integers(1, 6)), draw(st.integers(0, 50_000)), agency)
        cells.append(cell)
    return cells


@given(groups())
def test_no_published_cell_is_below_the_threshold(cells):
    table = disclosure.control(cells)
    raw = {c.key: c for c in cells}
    for shown in table.cells:
        if not shown.suppressed:
            c = raw[shown.key]
            assert c.count >= MIN_REPORTS and len(c.agencies) >= MIN_AGENCIES
            assert (shown.count, shown.financial_loss_gbp) == (c.count, c.financial_loss_gbp)
        else:
            assert shown.count is None and shown.financial_loss_gbp is None
    total = sum(c.count for c in cells)
    agencies = set().union(*(c.agencies for c in cells))
    published = total >= MIN_REPORTS and len(agencies) >= MIN_AGENCIES
    assert table.total.suppressed is not published
    assert table.total.count == (total if published else None)


@given(groups())
def test_no_suppressed_value_is_recovered_by_subtraction(cells):
    table = disclosure.control(cells)
    hidden = [c for c in table.cells if c.suppressed]
    if not hidden or table.total.suppressed:
        return
    # Total minus the published cells is the sum of the hidden ones: never a single cell,
    # and a sum that could itself have been published.
    assert len(hidden) >= 2
    raw = {c.key: c for c in cells}
    rest = [raw[c.key] for c in hidden]
    assert sum(c.count for c in rest) >= MIN_REPORTS
    assert len(set().union(*(c.agencies for c in rest))) >= MIN_AGENCIES
    published = sum(c.count for c in table.cells if not c.suppressed)
    assert table.total.count - published == sum(c.count for c in rest)


def test_a_worked_example():
    """The example of docs/statistics.md."""
    a, b, c, d = AGENCIES[:4]

    def cell(key, *tallies):
        out = Cell(key)
        for agency, n, loss in tallies:
            out.add(n, loss, agency)
        return out

    cells = [
        cell("phishing", (a, 10, 9000), (b, 6, 1000), (c, 4, 0)),
        cell("ddos", (a, 4, 0), (b, 3, 0), (d, 2, 500)),
        cell("insider", (c, 2, 40000)),
        cell("supply_chain", (a, 3, 0), (b, 1, 0), (c, 2, 2500)),
    ]
    table = disclosure.control(cells)
    shown = {x.key: (x.count, x.suppressed) for x in table.cells}
    assert shown == {
        "phishing": (20, False),
        "ddos": (9, False),
        "insider": (None, True),  # primary: 2 reports from 1 agency
        "supply_chain": (None, True),  # secondary: the smallest published cell
    }
    assert table.suppressed_cells == 2
    assert (table.total.count, table.total.financial_loss_gbp) == (37, 53000)
