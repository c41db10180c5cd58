"""Text search answers the same whichever of its SQLite plans runs: fetching and sorting
every match, or walking the list in order, window after window, and testing each bulletin
against the window's matches; page after page, whatever the order of full-text rowids."""

from datetime import timedelta

import pytest

from oversight.bulletins import search
from oversight.bulletins.models import Bulletin
from oversight.bulletins.search import SearchPlan
from tests.support.world import (
    BASE_TIME,
    WORDS,
    World,
    bulletin_world,
    listed_ids,
    may_read,
    token,
)


@pytest.fixture
def world(db) -> World:
    """Every TLP, status and recipient mix."""
    return bulletin_world(db)


# A first window of `window_per_row` x (limit + 1) entries.
PLANS = [
    pytest.param(SearchPlan(window_per_row=1, walk_from_matches=1), id="walk-windows-of-a-page"),
    pytest.param(SearchPlan(window_per_row=2, walk_from_matches=1), id="walk-windows-of-two-pages"),
    pytest.param(SearchPlan(walk_from_matches=1), id="walk"),
    pytest.param(SearchPlan(window_per_row=1, walk_from_matches=10**9), id="fetch-and-sort"),
]


@pytest.fixture
def plan(monkeypatch, request, app) -> list[int]:
    """Sets the plan; gives the sizes of the windows read (tiny windows: several a page, and
    one reaching the end of the list; with few matches, a first window, then fetch and sort)."""
    app.state.search_plan = request.param
    sizes: list[int] = []
    read = search.window

    def spy(session, after, size):
        sizes.append(size)
        return read(session, after, size)

    monkeypatch.setattr(search, "window", spy)
    return sizes


def _every_search_pages_in_list_order(client, app, world: World) -> None:
    """Every search of every principal, paged through; `bulletin` (in every title) fills
    pages from windows of a few entries, so they end inside the list."""
    for who in world.people:
        if not world.active[who.agency]:
            continue
        headers = token(app.state.tokens, world, who)
        newest_first = sorted(
            (i for i in world.items if may_read(who, i, world.active)),
            key=lambda i: (i.minute, i.id),
            reverse=True,
        )
        for word in WORDS:
            got = listed_ids(client, headers, limit=3, q=word)
            assert got == [str(i.id) for i in newest_first if i.word == word], (who, word)
        for limit in (1, 2):
            got = listed_ids(client, headers, limit=limit, q="bulletin")
            assert got == [str(i.id) for i in newest_first], (who, limit)


@pytest.mark.parametrize("plan", PLANS, indirect=True)
def test_search_pages_are_the_same_on_either_plan(client, app, db, world, plan):
    _every_search_pages_in_list_order(client, app, world)
    if db.get_bind().dialect.name != "sqlite":
        assert not plan  # PostgreSQL has one plan
        return
    chosen = app.state.search_plan
    largest_first = chosen.window_per_row * (3 + 1)  # pages of 1, 2 and 3 rows
    if len(world.items) < chosen.walk_from_matches:
        assert max(plan) <= largest_first  # a first window, then fetch and sort
    elif largest_first < len(world.items):
        assert max(plan) > largest_first  # pages took several windows


@pytest.mark.parametrize("plan", PLANS, indirect=True)
def test_search_pages_in_list_order_when_rowids_are_not(client, app, db, world, plan):
    """Bulletins whose created_at order is not their insertion (full-text rowid) order, some
    created at the very same minute (the id orders them), as a bulk import could make."""
    for n, item in enumerate(world.items):
        item.minute = (n * 7) % 5  # 0, 2, 4, 1, 3, 0, ...: out of order, five or six a minute
        bulletin = db.get(Bulletin, item.id)
        assert bulletin is not None
        bulletin.created_at = BASE_TIME + timedelta(minutes=item.minute)
    db.commit()
    _every_search_pages_in_list_order(client, app, world)
