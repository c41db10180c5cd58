"""Meetings and action items for the policy-equivalence world of `tests/support/world.py`.

Each item spec of the world also becomes a meeting, an action item and an incident report
with the same author, TLP and recipients (none of them has drafts; every other report is
anonymous to peers, and readers outside its agency must not learn whose it is). The
reference for actions adds the one rule of their own: the owner agency reads its actions,
unless they are RED (which stays with the author and the people named).
"""

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from oversight.actions.models import ActionItem
from oversight.actions.repository import ActionRepository
from oversight.meetings.models import Meeting
from oversight.meetings.repository import MeetingRepository
from oversight.reports.models import Report
from oversight.reports.repository import ReportRepository
from tests.support.world import BASE_TIME, Item, Who, World, may_read


@dataclass
class Governance:
    meetings: list[Item]
    actions: list[tuple[Item, int]]  # (the item, its owner agency)
    reports: list[Item]
    anonymous: set[uuid.UUID] = field(default_factory=set)

    def readable_reports(self, world: World, who: Who) -> set[uuid.UUID]:
        return {r.id for r in self.reports if may_read(who, r, world.active)}

    def readable_meetings(self, world: World, who: Who) -> set[uuid.UUID]:
        return {m.id for m in self.meetings if may_read(who, m, world.active)}

    def readable_actions(self, world: World, who: Who) -> set[uuid.UUID]:
        return {
            a.id
            for a, owner in self.actions
            if may_read(who, a, world.active)
            or (world.active[who.agency] and who.agency == owner and a.tlp != "RED")
        }


def build(session: Session, world: World, specs: list[dict]) -> Governance:
    out = Governance([], [], [])
    for n, (item, spec) in enumerate(zip(world.items, specs, strict=True)):
        author = next(p for p in world.people if p.id == item.author)
        at = BASE_TIME + timedelta(minutes=n)
        classification = {
            "tlp": item.tlp,
            "recipient_agencies": [world.agencies[a].id for a in sorted(item.agencies)],
            "recipient_users": sorted(item.users, key=str),
            "protective_marking": "OFFICIAL",
        }
        meeting = replace(item, id=uuid.uuid4(), status="published")
        row = Meeting(
            id=meeting.id,
            agency_id=world.agencies[item.agency].id,
            author_id=item.author,
            title=f"Meeting {n}",
            held_at=at,
            created_at=at,
            updated_at=at,
        )
        session.add(row)
        MeetingRepository(session, world.principal(author)).classify(row, **classification)
        out.meetings.append(meeting)

        action = replace(item, id=uuid.uuid4(), status="published")
        owner = spec["owner"]
        act = ActionItem(
            id=action.id,
            agency_id=world.agencies[item.agency].id,
            author_id=item.author,
            title=f"Action {n}",
            owner_agency_id=world.agencies[owner].id,
            status="open",
            created_at=at,
            updated_at=at,
        )
        session.add(act)
        ActionRepository(session, world.principal(author)).classify(act, **classification)
        out.actions.append((action, owner))

        withdrawn = n % 3 == 0
        report = replace(item, id=uuid.uuid4(), status="withdrawn" if withdrawn else "published")
        rep = Report(
            id=report.id,
            agency_id=world.agencies[item.agency].id,
            author_id=item.author,
            kind="incident",
            occurred_on=date(2026, 1, 1),
            category="fraud",
            vector="phishing",
            victim_type="sme",
            outcome="loss",
            anonymous_to_peers=n % 2 == 0,
            status="withdrawn" if withdrawn else "submitted",
            created_at=at,
            updated_at=at,
        )
        session.add(rep)
        ReportRepository(session, world.principal(author)).classify(rep, **classification)
        out.reports.append(report)
        if rep.anonymous_to_peers:
            out.anonymous.add(report.id)
    session.commit()
    return out


def _ids(
    session: Session, repo: MeetingRepository | ActionRepository | ReportRepository
) -> set[uuid.UUID]:
    return set(session.scalars(repo.base().with_only_columns(repo.model.id)))


def check_sql(session: Session, world: World, gov: Governance) -> None:
    """The SQL filter of meetings and actions equals the reference, for every principal."""
    for who in world.people:
        if not world.active[who.agency]:
            continue
        principal = world.principal(who)
        got = _ids(session, MeetingRepository(session, principal))
        assert got == gov.readable_meetings(world, who), ("meetings", who)
        got = _ids(session, ActionRepository(session, principal))
        assert got == gov.readable_actions(world, who), ("actions", who)
        got = _ids(session, ReportRepository(session, principal))
        assert got == gov.readable_reports(world, who), ("reports", who)


def check_http(client, headers_of, listed, world: World, gov: Governance) -> None:
    """What `GET /meetings`, `/actions` and `/reports` list equals the reference (403 without
    scope), and reports anonymous to peers name no agency or author outside their agency."""
    for who in world.people:
        headers = headers_of(who)
        for path, scope, expected in (
            ("/api/v1/meetings", "meetings:read", gov.readable_meetings(world, who)),
            ("/api/v1/actions", "actions:read", gov.readable_actions(world, who)),
            ("/api/v1/reports", "reports:read", gov.readable_reports(world, who)),
        ):
            if scope not in who.scopes and world.active[who.agency]:
                assert client.get(path, headers=headers).status_code == 403
                continue
            got = listed(client, headers, path)
            assert (got is None) == (not world.active[who.agency]), (path, who)
            assert (got or set()) == {str(i) for i in expected}, (path, who)


def check_anonymity(client, headers_of, world: World, gov: Governance) -> None:
    """Every report a reader lists shows its agency and author unless it is anonymous to
    peers and the reader is outside the reporting agency."""
    by_id = {str(r.id): r for r in gov.reports}
    for who in world.people:
        if not world.active[who.agency] or "reports:read" not in who.scopes:
            continue
        page = client.get("/api/v1/reports", params={"limit": 200}, headers=headers_of(who))
        for shown in page.json()["items"]:
            report = by_id[shown["id"]]
            hidden = report.id in gov.anonymous and who.agency != report.agency
            named = (shown["agency_id"], shown["author_id"], shown["agency"], shown["author"])
            if hidden:
                assert named == (None, None, None, None), (who, report)
            else:
                assert shown["agency_id"] == str(world.agencies[report.agency].id)
                assert shown["author_id"] == str(report.author) and shown["author"]
