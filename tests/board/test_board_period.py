"""The board update's lists come from SQL: the period's published bulletins (both ends
included), the RAG counts of the open actions the reader may read, the overdue ones listed,
and nothing outside them read or recorded as read."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from oversight.actions import clock
from oversight.audit.models import AuditRecord
from oversight.bulletins.models import Bulletin
from tests.support.bulletins import create, publish
from tests.support.meetings import create_action, post_update

API = "/api/v1/board-update"
TODAY = date(2026, 7, 1)
PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def _published_on(client, db, editor, title: str, at: datetime, tlp: str = "AMBER") -> str:
    bulletin = publish(client, editor, create(client, editor, title=title, tlp=tlp))
    row = db.scalars(select(Bulletin).where(Bulletin.title == title)).one()
    row.published_at = at
    db.commit()
    return bulletin["id"]


def test_only_the_periods_bulletins_are_listed_and_recorded_as_read(client, db, factory, auth):
    agency = factory.agency()
    editor = auth(factory.user(agency, roles=["editor"]))
    moments = {
        "Before the period": datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC),
        "First moment": datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
        "Last moment": datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=UTC),
        "After the period": datetime(2026, 7, 1, 0, 0, tzinfo=UTC),
    }
    ids = {title: _published_on(client, db, editor, title, at) for title, at in moments.items()}
    draft = create(client, editor, title="Never published", tlp="AMBER")
    reader = factory.user(agency)
    seen = client.get(API, params=PERIOD, headers=auth(reader))
    assert seen.status_code == 200, seen.text
    listed = {b["title"] for b in seen.json()["bulletins"]}
    assert listed == {"First moment", "Last moment"}
    assert draft["title"] not in seen.text
    read = set(
        db.scalars(
            select(AuditRecord.resource_id).where(
                AuditRecord.action == "bulletin.read", AuditRecord.actor_id == str(reader.id)
            )
        )
    )
    assert read == {ids["First moment"], ids["Last moment"]}


def test_the_tracker_counts_every_open_action_and_lists_the_overdue(
    client, db, factory, auth, frozen
):
    ours, theirs = factory.agency(), factory.agency()
    editor = auth(factory.user(ours, roles=["editor"]))
    other = auth(factory.user(theirs, roles=["editor"]))

    def due(headers, owner, days, **kw):
        when = (TODAY + timedelta(days=days)).isoformat()
        kw.setdefault("tlp", "AMBER+STRICT")
        return create_action(client, headers, owner.id, due_date=when, **kw)

    late = due(editor, ours, -3, title="Late one")
    due(editor, ours, 2, title="Due this week")
    due(editor, ours, 30, title="Due later")
    due(editor, ours, 60, title="Also later")
    closed = due(editor, ours, -9, title="Late but done")
    assert post_update(client, editor, closed, status="done").status_code == 201
    due(other, theirs, -5, title="Their secret late one")
    doc = client.get(API, params=PERIOD, headers=auth(factory.user(ours))).json()
    assert doc["actions"]["rag"] == {"red": 1, "amber": 1, "green": 2}
    assert [a["id"] for a in doc["actions"]["overdue"]] == [late["id"]]
    assert doc["actions"]["overdue"][0]["owner"] == ours.name
    theirs_doc = client.get(API, params=PERIOD, headers=auth(factory.user(theirs))).json()
    assert theirs_doc["actions"]["rag"] == {"red": 1, "amber": 0, "green": 0}
    assert [a["title"] for a in theirs_doc["actions"]["overdue"]] == ["Their secret late one"]
