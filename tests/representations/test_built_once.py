"""A list page's statement is built once for every reader of one shape and run with the
reader bound (issue 18): each reader still gets its own page, first and later ones, and the
statement cannot run for nobody in particular."""

import pytest
from sqlalchemy.exc import StatementError

from oversight.access import policy
from oversight.actions.presenter import REPRESENTED
from oversight.actions.repository import ActionRepository
from oversight.auth.principal import Principal
from oversight.representations import pages
from tests.support.meetings import ACTIONS, create_action


def _ids(client, headers, **params) -> list[str]:
    """Every id of the list, a page of two at a time."""
    ids: list[str] = []
    query = {"limit": 2, **params}
    while True:
        r = client.get(ACTIONS, params=query, headers=headers)
        assert r.status_code == 200, r.text
        ids += [i["id"] for i in r.json()["items"]]
        if not r.json()["next_cursor"]:
            return ids
        query["cursor"] = r.json()["next_cursor"]


def test_readers_of_one_shape_each_list_their_own_actions(client, factory, auth):
    first, second, third = factory.agency(), factory.agency(), factory.agency()
    mine = {}
    for agency in (first, second):
        h = auth(factory.user(agency, roles=["editor"]))
        mine[agency.id] = [
            create_action(client, h, agency.id, tlp="AMBER+STRICT")["id"] for _ in range(3)
        ]
    shared = create_action(client, h, second.id, tlp="GREEN")["id"]
    # Plain members of three agencies: one shape, three readers, in turn and again.
    for _ in range(2):
        for agency in (first, second, third):
            h = auth(factory.user(agency))
            expected = {shared, *mine.get(agency.id, [])}
            assert set(_ids(client, h)) == expected
            assert set(_ids(client, h, status="open")) == expected  # a filtered page too


def test_a_statement_built_once_does_not_run_without_its_reader(factory, db):
    agency = factory.agency()
    user = factory.user(agency)
    reader = Principal(
        kind="user", id=user.id, agency_id=agency.id, roles=frozenset(), scopes=frozenset()
    )
    repo = ActionRepository(db, reader)
    stmt = pages.loading(repo, REPRESENTED)
    assert stmt is pages.loading(ActionRepository(db, reader), REPRESENTED)  # built once
    with pytest.raises(StatementError, match=policy.READER_AGENCY):
        db.execute(stmt).all()
    assert db.execute(stmt, policy.reader(reader)).all() == []
