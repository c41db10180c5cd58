"""A world of agencies, principals and bulletins, and the §4 table as plain Python.

`may_read` is the reference the SQL policy is checked against: it is written from the
contract's table, not from the policy module.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from oversight.accounts.models import Agency, ServiceAccount, User
from oversight.auth.principal import Principal
from oversight.auth.scopes import format_scope, scopes_for_roles
from oversight.auth.tokens import TokenCodec
from oversight.bulletins.models import Bulletin
from oversight.bulletins.repository import BulletinRepository

TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
STATUSES = ["draft", "published", "withdrawn"]
CATEGORIES = ["ransomware", "phishing", "account_takeover", "data_theft", "vulnerability"]
SEVERITIES = ["low", "medium", "high", "critical"]
SECTORS = ["individuals", "sme", "large_business", "charity"]
WORDS = ["ransomware", "phishing", "office", "credential"]
BASE_TIME = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


@dataclass
class Who:
    """A principal of the world, as the reference sees it."""

    kind: str  # "user" | "service"
    id: uuid.UUID
    agency: int
    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()

    @property
    def bulletin_editor(self) -> bool:
        if self.kind == "user":
            return "editor" in self.roles
        return "bulletins:write" in self.scopes


@dataclass
class Item:
    """A bulletin of the world, as the reference sees it."""

    id: uuid.UUID
    agency: int
    author: uuid.UUID
    tlp: str
    status: str
    agencies: set[int] = field(default_factory=set)
    users: set[uuid.UUID] = field(default_factory=set)
    category: str = "ransomware"
    severity: str = "high"
    sectors: list[str] = field(default_factory=list)
    word: str = "ransomware"
    minute: int = 0


def may_read(who: Who, item: Item, active: list[bool]) -> bool:
    """Contract §4, as a table."""
    if not active[who.agency]:
        return False  # principals of a suspended agency read nothing
    own = who.agency == item.agency
    if item.tlp in {"CLEAR", "GREEN"}:
        ok = True
    elif item.tlp == "AMBER":
        ok = own or not item.agencies or who.agency in item.agencies
    elif item.tlp == "AMBER+STRICT":
        ok = own or who.agency in item.agencies
    else:  # RED
        ok = who.kind == "user" and (who.id == item.author or who.id in item.users)
    if item.status == "draft":
        ok = ok and (who.id == item.author or (own and who.bulletin_editor))
    return ok


@dataclass
class World:
    agencies: list[Agency]
    active: list[bool]
    people: list[Who]
    items: list[Item]

    def principal(self, who: Who) -> Principal:
        return Principal(
            kind=who.kind,  # type: ignore[arg-type]
            id=who.id,
            agency_id=self.agencies[who.agency].id,
            roles=who.roles,
            scopes=who.scopes,
        )

    def suspend(self, session: Session) -> None:
        for agency, is_active in zip(self.agencies, self.active, strict=True):
            if not is_active:
                agency.status = "suspended"
        session.flush()

    def readable(self, who: Who) -> set[uuid.UUID]:
        return {i.id for i in self.items if may_read(who, i, self.active)}


def build(
    session: Session,
    active: list[bool],
    users: list[tuple[int, frozenset[str]]],
    services: list[tuple[int, frozenset[str]]],
    items: list[dict],
    *,
    suspend: bool = True,
) -> World:
    """Make the rows; `items` name their author by index into users + services.

    Agencies are suspended after their items are written (an agency is named as a recipient
    while it is active); with `suspend=False` the caller does it with `World.suspend`.
    """
    agencies = []
    for n, is_active in enumerate(active):
        suffix = uuid.uuid4().hex[:8]
        agency = Agency(
            name=f"World agency {n} {suffix}",
            slug=f"world-{n}-{suffix}",
            sector="police",
            status="active",
        )
        session.add(agency)
        agencies.append(agency)
    session.flush()
    people: list[Who] = []
    for agency, roles in users:
        all_roles = frozenset({"member", *roles})
        user = User(
            email=f"w-{uuid.uuid4().hex[:10]}@example.org",
            display_name="World user",
            agency_id=agencies[agency].id,
            roles=sorted(all_roles),
            password_hash="unused",
        )
        session.add(user)
        session.flush()
        people.append(Who("user", user.id, agency, all_roles, scopes_for_roles(all_roles)))
    for agency, scopes in services:
        sa = ServiceAccount(
            name="World partner",
            agency_id=agencies[agency].id,
            client_id=f"cli_{uuid.uuid4().hex[:16]}",
            secret_hash="unused",
            scopes=sorted(scopes),
        )
        session.add(sa)
        session.flush()
        people.append(Who("service", sa.id, agency, frozenset(), frozenset(scopes)))
    world = World(agencies, active, people, [])
    for n, spec in enumerate(items):
        author = people[spec["author"]]
        item = Item(
            id=uuid.uuid4(),
            agency=author.agency,
            author=author.id,
            tlp=spec["tlp"],
            status=spec["status"],
            agencies=set(spec.get("agencies", ())),
            users={people[u].id for u in spec.get("users", ())},
            category=CATEGORIES[n % len(CATEGORIES)],
            severity=SEVERITIES[n % len(SEVERITIES)],
            sectors=[SECTORS[n % len(SECTORS)]],
            word=WORDS[n % len(WORDS)],
            minute=n,
        )
        at = BASE_TIME + timedelta(minutes=n)
        bulletin = Bulletin(
            id=item.id,
            agency_id=agencies[item.agency].id,
            author_id=item.author,
            title=f"Bulletin {n} about {item.word}",
            summary=f"Summary of bulletin {n}",
            body=f"Body text {n}",
            category=item.category,
            severity=item.severity,
            sectors=item.sectors,
            status=item.status,
            published_at=at if item.status != "draft" else None,
            created_at=at,
            updated_at=at,
        )
        session.add(bulletin)
        BulletinRepository(session, world.principal(author)).classify(
            bulletin,
            tlp=item.tlp,
            recipient_agencies=[agencies[a].id for a in sorted(item.agencies)],
            recipient_users=sorted(item.users, key=str),
            protective_marking="OFFICIAL",
        )
        world.items.append(item)
    if suspend:
        world.suspend(session)
    session.commit()
    return world


def token(codec: TokenCodec, world: World, who: Who) -> dict[str, str]:
    access = codec.issue(
        sub=who.id,
        kind=who.kind,
        agency=world.agencies[who.agency].id,
        scope=format_scope(set(who.scopes)),
        ver=1,
        aver=1,
    )
    return {"Authorization": f"Bearer {access}"}


def variants(named_user: int) -> list[dict]:
    """Every classification mix once: each TLP, AMBER and AMBER+STRICT also naming agency 1,
    RED also naming user `named_user` (an index into the world's people)."""
    return [
        {"tlp": "CLEAR"},
        {"tlp": "GREEN"},
        {"tlp": "AMBER"},
        {"tlp": "AMBER", "agencies": {1}},
        {"tlp": "AMBER+STRICT"},
        {"tlp": "AMBER+STRICT", "agencies": {1}},
        {"tlp": "RED"},
        {"tlp": "RED", "users": {named_user}},
    ]


def bulletin_world(db: Session) -> World:
    """Four agencies (the last suspended), people of every role, partner systems, and a
    bulletin of every status for every classification mix."""
    a, b, c, d = 0, 1, 2, 3
    users = [
        (a, frozenset({"editor"})),  # 0: the author
        (a, frozenset({"editor"})),  # 1
        (a, frozenset()),  # 2
        (b, frozenset()),  # 3
        (b, frozenset({"editor"})),  # 4
        (c, frozenset()),  # 5: named on one RED bulletin
        (c, frozenset({"admin"})),  # 6
        (c, frozenset({"auditor"})),  # 7
        (d, frozenset({"editor"})),  # 8: of a suspended agency
    ]
    services = [
        (a, frozenset({"bulletins:read", "bulletins:write"})),  # 9
        (b, frozenset({"bulletins:read"})),  # 10
        (c, frozenset({"bulletins:read", "meetings:write"})),  # 11
    ]
    items = [
        {"author": 0, "status": status, **variant}
        for status in STATUSES
        for variant in variants(named_user=5)
    ]
    items.append({"author": 9, "status": "draft", "tlp": "GREEN"})
    items.append({"author": 4, "status": "published", "tlp": "AMBER+STRICT"})
    return build(db, [True, True, True, False], users, services, items)


def listed_ids(
    client, headers: dict[str, str], limit: int = 5, **params: object
) -> list[str] | None:
    """Every id the bulletin list gives, page after page (None when the token is refused)."""
    out: list[str] = []
    query: dict[str, object] = {"limit": limit, **params}
    while True:
        r = client.get("/api/v1/bulletins", params=query, headers=headers)
        if r.status_code == 401:
            return None
        assert r.status_code == 200, r.text
        out += [b["id"] for b in r.json()["items"]]
        if not r.json()["next_cursor"]:
            return out
        assert 'rel="next"' in r.headers["link"]
        query["cursor"] = r.json()["next_cursor"]
