"""The demo bulletins are dated in the months before today, in order with the demo meetings,
and every record of them (revisions, acknowledgements, audit trail, change feed, TAXII
versions) carries the same dates."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from oversight import demo
from oversight.accounts.models import User
from oversight.audit.chain import verify
from oversight.audit.models import AuditRecord
from oversight.bulletins.models import Bulletin, BulletinAcknowledgement, BulletinRevision
from oversight.changes.models import ChangeEvent
from oversight.demo import SET_UP_DAYS_AGO
from oversight.taxii.models import StixVersion
from tests.support.bulletins import API

# Steps of the story are days apart; what one step writes is written within a few seconds.
SAME_STEP = timedelta(minutes=5)


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_demo_bulletins_are_dated_in_the_months_before_the_meetings(client, db, auth):
    loaded = demo.load(db)
    db.commit()
    now = datetime.now(UTC)
    a_day_ago = now - timedelta(days=1)
    set_up = now - timedelta(days=SET_UP_DAYS_AGO + 1)
    board, later = sorted(_parse(m["held_at"]) for m in loaded.meetings.meetings)

    people = db.scalars(select(User)).all()
    assert people and all(set_up < u.created_at < board for u in people)
    joined = max(u.created_at for u in people)

    bulletins = {str(b.id): b for b in db.scalars(select(Bulletin))}
    assert set(bulletins) == {b["id"] for b in loaded.bulletins}
    published = [b for b in bulletins.values() if b.published_at is not None]
    assert len(published) == len(bulletins) - 1  # one draft
    for b in bulletins.values():
        assert joined < b.created_at < a_day_ago, b.title
        assert b.created_at <= b.updated_at < a_day_ago, b.title
        if b.published_at is not None:
            # Published before the later meeting, which could discuss every one of them.
            assert b.created_at < b.published_at < later, b.title
    # The board discussed the first ones (its minutes speak of ransomware and account takeover).
    before_board = [b for b in published if b.published_at < board]
    assert {b.category for b in before_board} >= {"ransomware", "account_takeover"}
    assert len(before_board) < len(published)  # others came between the two meetings
    [withdrawn] = [b for b in bulletins.values() if b.status == "withdrawn"]
    assert withdrawn.published_at < withdrawn.withdrawn_at < later

    for revision in db.scalars(select(BulletinRevision)):
        bulletin = bulletins[str(revision.bulletin_id)]
        assert bulletin.published_at - SAME_STEP < revision.created_at < a_day_ago
    acknowledgements = db.scalars(select(BulletinAcknowledgement)).all()
    assert len(acknowledgements) == 2
    for ack in acknowledgements:
        bulletin = bulletins[str(ack.bulletin_id)]
        assert bulletin.published_at < ack.acknowledged_at < a_day_ago

    for b in bulletins.values():
        # The audit trail and the change feed say when each step happened, as the row does.
        trail = db.scalars(
            select(AuditRecord).where(
                AuditRecord.resource_type == "bulletin", AuditRecord.resource_id == str(b.id)
            )
        ).all()
        created = next(r for r in trail if r.action == "bulletin.create")
        assert abs(created.at - b.created_at) < SAME_STEP
        if b.published_at is not None:
            publish = next(r for r in trail if r.action == "bulletin.publish")
            assert abs(publish.at - b.published_at) < SAME_STEP
        assert all(r.at < a_day_ago for r in trail)
        events = db.scalars(select(ChangeEvent).where(ChangeEvent.resource_id == b.id)).all()
        assert events
        assert all(b.created_at - SAME_STEP < e.at < a_day_ago for e in events)
        # TAXII versions are added when the bulletin is published, edited or withdrawn.
        for version in db.scalars(select(StixVersion).where(StixVersion.bulletin_id == b.id)):
            assert b.published_at - SAME_STEP < version.date_added < a_day_ago
            assert version.modified < a_day_ago

    # The feed of STIX versions is in the order of the story, as the collection requires.
    added = db.scalars(select(StixVersion.date_added).order_by(StixVersion.date_added)).all()
    assert added and added[-1] < a_day_ago

    # The API shows the same dates.
    editor = db.scalars(select(User).where(User.email == "editor@police.example")).one()
    clear = next(b for b in published if b.tlp == "CLEAR")
    got = client.get(f"{API}/{clear.id}", headers=auth(editor)).json()
    assert _parse(got["published_at"]) == clear.published_at
    assert _parse(got["created_at"]) == clear.created_at
    revisions = client.get(f"{API}/{clear.id}/revisions", headers=auth(editor)).json()["items"]
    assert len(revisions) == 2
    assert all(clear.published_at - SAME_STEP < _parse(r["created_at"]) < board for r in revisions)
    assert verify(db).ok
