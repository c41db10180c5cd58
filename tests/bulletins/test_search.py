"""Text search answers the same whichever of its SQLite plans runs: fetching and sorting
every match, or walking the list in order and testing each bulletin against the matches."""

import pytest

from oversight.bulletins import repository
from tests.bulletins import test_visibility
from tests.bulletins.world import WORDS, may_read, token

world = test_visibility.world  # the fixture: every TLP, status and recipient mix


@pytest.mark.parametrize("walk_from", [1, 10**9], ids=["walk", "fetch-and-sort"])
def test_search_pages_are_the_same_on_either_plan(client, app, world, monkeypatch, walk_from):
    monkeypatch.setattr(repository, "WALK_FROM_MATCHES", walk_from)
    for who in world.people:
        if not world.active[who.agency]:
            continue
        headers = token(app.state.tokens, world, who)
        newest_first = sorted(
            (i for i in world.items if may_read(who, i, world.active)),
            key=lambda i: i.minute,
            reverse=True,
        )
        for word in WORDS:
            got = test_visibility._ids(client, headers, limit=3, q=word)
            assert got == [str(i.id) for i in newest_first if i.word == word], (who, word)
