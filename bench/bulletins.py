"""Bulletin reads at 10k, 100k and 1M rows: the real app, under load, against a bare endpoint.

    .venv/bin/python bench/bulletins.py [--sizes 10000,100000] [--db sqlite|postgres|both]
                                        [--duration 5] [--connections 8] [--output FILE]

For each database and size: a fresh database (SQLite file in a temp dir; PostgreSQL database
on OVERSIGHT_BENCH_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres,
dropped afterwards) migrated by the project's migrations, seeded with bulk inserts (12
agencies, a realistic TLP/status mix, recipient index rows, the full-text index filled by the
database itself), then served by the real app (`create_app`, uvicorn, one worker, 127.0.0.1)
and loaded by wrk. Cases, each for a broadly-cleared and a narrowly-cleared member: the first
page of `GET /api/v1/bulletins`, a page in the middle of the table via a cursor, a selective
filter (category + severity), a `q` search, get-by-id (rotating over 100 visible ids), and a
bare endpoint added to the bench's app instance only (under `/api/`, so admitted like every
API request), serving the first page's 50 rows with no auth and no policy. Each case runs
`--connections` connections for `--duration` seconds, then one connection (unloaded
latency); then each member's list and the bare endpoint run in turn, three times each, for
the throughput ratio. At the largest size the plans of every case's query are printed
(EXPLAIN QUERY PLAN / EXPLAIN ANALYZE), captured from the app itself.
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from loadgen import Server, ensure_wrk, run_wrk, server_env
from sqlalchemy import Engine, event, func, insert, select
from sqlalchemy.engine import make_url

from oversight.accounts.models import Agency, User
from oversight.bulletins import service as _registers_bulletins  # noqa: F401
from oversight.bulletins.models import Bulletin
from oversight.db import make_engine, migrations
from oversight.representations.store import refresh_database

PG_SERVER = os.environ.get(
    "OVERSIGHT_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DEFAULT_SIZES = {"sqlite": [10_000, 100_000, 1_000_000], "postgres": [100_000, 1_000_000]}
PASSWORD = "bench-password-correct-horse"
BATCH = 10_000
API = "/api/v1/bulletins"
FILTER = "category=account_takeover&severity=high"
QUERY = "lockbit backups"
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)

# ----------------------------------------------------------------------------- the world

# (name, slug, sector, share of bulletins owned, weight when picked as an AMBER recipient)
AGENCIES = [
    ("Regional Organised Crime Unit", "rocu", "rocu", 0.12, 40.0),
    ("Greater Manchester Police", "gmp", "police", 0.22, 12.0),
    ("Merseyside Police", "merseyside-police", "police", 0.12, 8.0),
    ("Lancashire Constabulary", "lancashire-police", "police", 0.10, 8.0),
    ("North West Cyber Resilience Centre", "nwcrc", "cyber_resilience_centre", 0.14, 10.0),
    ("Manchester City Council", "manchester-cc", "local_authority", 0.06, 4.0),
    ("Liverpool City Council", "liverpool-cc", "local_authority", 0.05, 4.0),
    ("NHS North West Digital", "nhs-nw", "health", 0.07, 5.0),
    ("University of the North West", "unw", "education", 0.04, 2.0),
    ("Northern Care Alliance", "nca", "social_care", 0.03, 2.0),
    ("Chamber of Commerce North West", "chamber-nw", "business", 0.04, 3.0),
    ("Age Well Charity", "age-well", "charity", 0.01, 0.2),
]
BROAD, NARROW = 0, len(AGENCIES) - 1  # agencies of the two measured members

TLP_MIX = [("GREEN", 0.66), ("CLEAR", 0.10), ("AMBER", 0.13), ("AMBER+STRICT", 0.08), ("RED", 0.03)]
STATUS_MIX = [("published", 0.94), ("withdrawn", 0.04), ("draft", 0.02)]
CATEGORY_MIX = [
    ("ransomware", 0.20),
    ("phishing", 0.22),
    ("account_takeover", 0.14),
    ("fraud", 0.12),
    ("vulnerability", 0.10),
    ("data_theft", 0.08),
    ("malware", 0.08),
    ("ddos", 0.03),
    ("other", 0.03),
]
SEVERITY_MIX = [("low", 0.2), ("medium", 0.4), ("high", 0.3), ("critical", 0.1)]
SECTORS = [
    "individuals",
    "sme",
    "large_business",
    "charity",
    "education",
    "health",
    "public_sector",
    "social_care",
]

ACTORS = {
    "ransomware": ["LockBit", "Akira", "BlackCat", "Rhysida", "Play", "Medusa", "Black Basta"],
    "phishing": ["HMRC refund", "parcel delivery", "Microsoft 365 sign-in", "DocuSign", "QR code"],
    "account_takeover": ["Instagram", "Facebook", "WhatsApp", "TikTok", "Snapchat", "SIM swap"],
    "fraud": ["invoice redirection", "CEO fraud", "investment scam", "romance scam", "mandate"],
    "vulnerability": ["Office 365", "Exchange", "Citrix NetScaler", "MOVEit", "ScreenConnect"],
    "data_theft": ["RedLine", "Lumma", "Raccoon", "supplier breach", "exposed storage"],
    "malware": ["Qakbot", "Emotet", "IcedID", "Pikabot", "AsyncRAT", "SocGholish"],
    "ddos": ["NoName057(16)", "Anonymous Sudan", "Mirai botnet", "KillNet"],
    "other": ["insider", "hacktivist", "USB drop", "fake Wi-Fi hotspot"],
}
TARGETS = [
    "small and medium businesses",
    "schools and academies",
    "GP surgeries",
    "local charities",
    "care homes",
    "council suppliers",
    "solicitors and conveyancers",
    "estate agents",
    "independent retailers",
    "residents over 65",
    "manufacturing firms",
    "housing associations",
]
REGIONS = ["Greater Manchester", "Merseyside", "Lancashire", "Cheshire", "Cumbria", "the region"]
TITLES = [
    "{actor} activity targeting {target} in {region}",
    "Rise in {actor} attacks against {target}",
    "{actor}: {target} in {region} hit in the past week",
    "Advisory: {actor} campaign aimed at {target}",
    "{actor} linked to incidents at {target}",
]
OPENINGS = {
    "ransomware": "{actor} ransomware affiliates have encrypted systems at {target} in {region} "
    "after gaining access through exposed remote desktop and unpatched VPN appliances.",
    "phishing": "A {actor} phishing campaign is sending convincing lures to {target} in "
    "{region}, harvesting credentials on look-alike sign-in pages.",
    "account_takeover": "Criminals are taking over {actor} accounts of staff at {target} in "
    "{region}, then messaging contacts to request money or one-time codes.",
    "fraud": "{actor} attempts against {target} in {region} have cost victims thousands of "
    "pounds; the emails come from compromised supplier mailboxes.",
    "vulnerability": "Unpatched {actor} servers at {target} in {region} are being exploited "
    "within hours of public proof-of-concept code.",
    "data_theft": "{actor} infostealer logs containing credentials of {target} in {region} are "
    "being sold on criminal marketplaces.",
    "malware": "{actor} loaders are reaching {target} in {region} through malicious email "
    "attachments and fake browser updates.",
    "ddos": "{actor} has announced distributed denial of service attacks against {target} in "
    "{region}; short outages of public websites have been reported.",
    "other": "Reports of {actor} incidents affecting {target} in {region} have increased.",
}
DETAILS = [
    "Initial access was gained with passwords reused from earlier breaches.",
    "The attackers disabled antivirus and deleted volume shadow copies before encryption.",
    "Several victims had no offline backups and multi-factor authentication was not enforced.",
    "Stolen data was published on a leak site when the ransom was not paid.",
    "Invoices were altered to redirect payments to mule accounts at challenger banks.",
    "Victims were asked to approve repeated multi-factor prompts late at night.",
    "The lure referenced a genuine delivery, which made it hard to spot.",
    "Compromised social media accounts were used to promote fake investment schemes.",
    "Scheduled tasks and new mailbox forwarding rules were created for persistence.",
    "The exploit chain gives unauthenticated remote code execution on the server.",
    "Affected organisations often relied on a single managed service provider.",
    "Outbound connections to the listed infrastructure were observed over HTTPS.",
]
ADVICE = [
    "Keep offline, tested backups and practise restoring them.",
    "Enforce multi-factor authentication on email, remote access and social media accounts.",
    "Apply the vendor's security updates and check for signs of earlier compromise.",
    "Verify changes of bank details by phoning a known number.",
    "Report incidents to Action Fraud and to the regional cyber resilience centre.",
    "Review mailbox rules and revoke sessions for affected accounts.",
    "Block the listed indicators at the firewall and the email gateway.",
    "Train staff to recognise urgent payment requests and unexpected sign-in pages.",
]
CVES = ["CVE-2023-23397", "CVE-2024-21413", "CVE-2023-4966", "CVE-2023-34362", "CVE-2024-1709"]


@dataclass
class World:
    agency_ids: list[uuid.UUID]
    editors: list[list[uuid.UUID]]  # per agency
    users: list[uuid.UUID]  # every user, RED recipients are drawn from them
    broad_email: str
    narrow_email: str
    broad_user: uuid.UUID


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _pick(rng: random.Random, mix: list[tuple[str, float]]) -> str:
    return rng.choices([m[0] for m in mix], weights=[m[1] for m in mix])[0]


def seed_world(engine: Engine, rng: random.Random) -> World:
    """The 12 agencies, two editors and three members each, and the two measured members."""
    from oversight.auth.passwords import hash_password

    pw = hash_password(PASSWORD)
    now = START
    agencies, users = [], []
    ids = [_uuid(rng) for _ in AGENCIES]
    editors: list[list[uuid.UUID]] = []
    everyone: list[uuid.UUID] = []
    for i, (name, slug, sector, _share, _named) in enumerate(AGENCIES):
        agencies.append(
            {"id": ids[i], "name": name, "slug": slug, "sector": sector, "status": "active"}
        )
        eds = []
        for k in range(5):
            uid = _uuid(rng)
            role = ["member", "editor"] if k < 2 else ["member"]
            users.append(
                {
                    "id": uid,
                    "email": f"{'editor' if k < 2 else 'member'}{k}@{slug}.example.org",
                    "display_name": f"{slug} user {k}",
                    "agency_id": ids[i],
                    "roles": role,
                    "password_hash": pw,
                }
            )
            everyone.append(uid)
            if k < 2:
                eds.append(uid)
        editors.append(eds)
    broad = _uuid(rng)
    for agency, uid, email in (
        (BROAD, broad, "broad@bench.example.org"),
        (NARROW, _uuid(rng), "narrow@bench.example.org"),
    ):
        users.append(
            {
                "id": uid,
                "email": email,
                "display_name": email.split("@")[0],
                "agency_id": ids[agency],
                "roles": ["member"],
                "password_hash": pw,
            }
        )
    everyone.append(broad)
    with engine.begin() as conn:
        conn.execute(insert(Agency.__table__), [a | {"created_at": now} for a in agencies])
        conn.execute(insert(User.__table__), [u | {"created_at": now} for u in users])
    return World(
        ids, editors, everyone, "broad@bench.example.org", "narrow@bench.example.org", broad
    )


class Texts:
    """Titles, summaries and bodies drawn from the threats the partnership deals with."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def make(self, category: str) -> tuple[str, str, str, list[str], list[dict[str, str]]]:
        r = self.rng
        slots = {
            "actor": r.choice(ACTORS[category]),
            "target": r.choice(TARGETS),
            "region": r.choice(REGIONS),
        }
        title = r.choice(TITLES).format(**slots)
        summary = OPENINGS[category].format(**slots)
        details = r.sample(DETAILS, 3)
        advice = r.sample(ADVICE, 3)
        body = "\n\n".join(
            [
                f"## What we see\n\n{summary} {' '.join(details)}",
                "## What to do\n\n" + "\n".join(f"- {a}" for a in advice),
            ]
        )
        ip = f"185.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}"
        indicators = [
            {"type": "ipv4", "value": ip, "description": "command and control"},
            {"type": "domain", "value": f"secure-{r.randrange(10**6)}.example.net"},
            {"type": "sha256", "value": f"{r.getrandbits(256):064x}"},
        ]
        if category == "vulnerability":
            indicators.append({"type": "cve", "value": r.choice(CVES)})
        return title[:200], summary, body, advice, indicators


def bulletin_rows(
    world: World, n: int, rng: random.Random
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]:
    """Batches of (bulletins, recipient agency rows, recipient user rows), oldest first."""
    texts = Texts(rng)
    owners = list(range(len(AGENCIES)))
    owner_w = [a[3] for a in AGENCIES]
    named_w = [a[4] for a in AGENCIES]
    step = SPAN / n
    batch: tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]] = ([], [], [])
    for i in range(n):
        owner = rng.choices(owners, owner_w)[0]
        category = _pick(rng, CATEGORY_MIX)
        tlp = _pick(rng, TLP_MIX)
        status = _pick(rng, STATUS_MIX)
        created = START + step * i + step * rng.random() * 0.5
        bid = _uuid(rng)
        title, summary, body, advice, indicators = texts.make(category)
        agencies: list[uuid.UUID] = []
        users: list[uuid.UUID] = []
        author = rng.choice(world.editors[owner])
        if (tlp == "AMBER" and rng.random() < 0.5) or (
            tlp == "AMBER+STRICT" and rng.random() < 0.9
        ):
            picked = {owners[k] for k in rng.choices(owners, named_w, k=rng.randint(1, 3))}
            agencies = sorted((world.agency_ids[k] for k in picked - {owner}), key=str)
        if tlp == "RED":
            users = rng.sample(world.users, rng.randint(1, 4))
            if rng.random() < 0.15:
                users.append(world.broad_user)
            users = sorted(set(users) - {author}, key=str)
        published = created + timedelta(minutes=rng.randint(5, 240))
        batch[0].append(
            {
                "id": bid,
                "agency_id": world.agency_ids[owner],
                "author_id": author,
                "title": title,
                "summary": summary,
                "body": body,
                "category": category,
                "severity": _pick(rng, SEVERITY_MIX),
                "sectors": rng.sample(SECTORS, rng.randint(1, 3)),
                "indicators": indicators,
                "recommended_actions": advice,
                "references": ["https://www.ncsc.gov.uk/collection/small-business-guide"],
                "status": status,
                "published_at": None if status == "draft" else published,
                "review_by": (created + timedelta(days=90)).date(),
                "withdrawn_at": published + timedelta(days=3) if status == "withdrawn" else None,
                "withdrawal_reason": "Superseded" if status == "withdrawn" else None,
                "version": 2 if status == "published" else (1 if status == "draft" else 3),
                "created_at": created,
                "updated_at": published if status != "draft" else created,
                "tlp": tlp,
                "protective_marking": "OFFICIAL-SENSITIVE" if tlp == "RED" else "OFFICIAL",
                "recipient_agencies": [str(a) for a in agencies],
                "recipient_users": [str(u) for u in users],
                "names_agencies": bool(agencies),
            }
        )
        batch[1].extend({"item_id": bid, "agency_id": a} for a in agencies)
        batch[2].extend({"item_id": bid, "user_id": u} for u in users)
        if len(batch[0]) == BATCH:
            yield batch
            batch = ([], [], [])
    if batch[0]:
        yield batch


def seed(engine: Engine, n: int) -> tuple[World, float]:
    """Fill a migrated database with the world and n bulletins; returns it and the seconds."""
    started = time.perf_counter()
    rng = random.Random(20261127)
    world = seed_world(engine, rng)
    ta, tu = Bulletin.__recipient_agency_table__, Bulletin.__recipient_user_table__
    for bulletins, agencies, users in bulletin_rows(world, n, rng):
        with engine.begin() as conn:
            conn.execute(insert(Bulletin.__table__), bulletins)
            if agencies:
                conn.execute(insert(ta), agencies)
            if users:
                conn.execute(insert(tu), users)
    with engine.connect() as conn:
        check_search_index(conn, n)
    # What the lists serve, stored as `oversight db upgrade` stores it for rows written
    # around the ORM (as these bulk inserts are).
    refresh_database(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        # The seed leaves a write-ahead log of hundreds of MB: copy it into the database now,
        # as a running service long since has, rather than in the background of the first
        # cases measured.
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return world, time.perf_counter() - started


def check_search_index(conn: Any, n: int) -> None:
    """The full-text index must hold every bulletin (triggers / generated column)."""
    if conn.dialect.name == "sqlite":
        indexed = conn.exec_driver_sql("SELECT count(*) FROM bulletin_search").scalar()
        hits = conn.exec_driver_sql(
            "SELECT count(*) FROM bulletin_fts WHERE bulletin_fts MATCH 'ransomware'"
        ).scalar()
    else:
        indexed = conn.exec_driver_sql(
            "SELECT count(*) FROM bulletin WHERE search_vector IS NOT NULL"
        ).scalar()
        hits = conn.exec_driver_sql(
            "SELECT count(*) FROM bulletin "
            "WHERE search_vector @@ plainto_tsquery('english', 'ransomware')"
        ).scalar()
    if indexed != n or not hits:
        raise SystemExit(f"search index not filled: {indexed} of {n} rows, {hits} hits")


# ----------------------------------------------------------------------------- databases


class Database:
    """A fresh database: a SQLite file in a temp dir, or a PostgreSQL database, dropped after."""

    def __init__(self, kind: str, tmp: Path) -> None:
        self.kind = kind
        tag = uuid.uuid4().hex[:8]
        if kind == "sqlite":
            self.url = f"sqlite:///{tmp / f'bulletins-{tag}.db'}"
        else:
            self.name = f"oversight_bench_{tag}"
            self.url = make_url(PG_SERVER).set(database=self.name).render_as_string(False)
            self._admin(f'CREATE DATABASE "{self.name}"')

    def _admin(self, sql: str) -> None:
        engine = make_engine(PG_SERVER)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(sql)
        engine.dispose()

    def drop(self) -> None:
        if self.kind == "postgres":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            path = Path(make_url(self.url).database or "")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


# ----------------------------------------------------------------------------- the server


def serve(port: int) -> None:
    """The real app for OVERSIGHT_DATABASE_URL, plus the bench's bare endpoint, on one worker."""
    import uvicorn
    from fastapi import Query

    from oversight.access.names import present
    from oversight.bulletins.schemas import BulletinRead
    from oversight.main import create_app, prepare_worker
    from oversight.web.paging import Page
    from oversight.web.session import SessionDep

    app = create_app()

    @app.get("/api/bench/bare", response_model=Page[BulletinRead])
    def bare(session: SessionDep, ids: str = Query(max_length=4000)) -> Page[BulletinRead]:
        """The same rows as a product page: no auth, no policy, a lookup by primary key."""
        wanted = [uuid.UUID(i) for i in ids.split(",")]
        stmt = (
            select(Bulletin)
            .where(Bulletin.id.in_(wanted))
            .order_by(Bulletin.created_at.desc(), Bulletin.id.desc())
        )
        rows = session.scalars(stmt).all()
        # The names beside ids as a product page shows them; nobody in particular reads.
        unnamed = lambda _: {"shared_with_you": False}  # noqa: E731
        return Page[BulletinRead](items=present(session, None, rows, BulletinRead, unnamed))

    prepare_worker(app)  # as oversight.asgi does for `oversight serve`
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        workers=1,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
    )


# ----------------------------------------------------------------------------- the cases


@dataclass
class Case:
    who: str
    name: str
    paths: list[str]
    token: str


@dataclass
class Prepared:
    cases: list[Case] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)


def login(client: httpx.Client, email: str) -> str:
    r = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": email, "password": PASSWORD},
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def deep_cursor(client: httpx.Client, token: str, world: World, n: int) -> tuple[str, int]:
    """A cursor in the middle of the table, reached by walking product pages.

    A cursor holds only a position, so walking the smallest agency's list (about 1% of the
    rows, 200 a page) reaches the middle in a few dozen pages; the cursor then continues
    the unfiltered list from there.
    """
    middle = START + SPAN / 2
    params: dict[str, Any] = {"agency_id": str(world.agency_ids[NARROW]), "limit": 200}
    auth = {"Authorization": f"Bearer {token}"}
    pages = 0
    while True:
        r = client.get(API, params=params, headers=auth)
        r.raise_for_status()
        body = r.json()
        pages += 1
        stamps = [datetime.fromisoformat(i["created_at"]) for i in body["items"]]
        past = [k for k, at in enumerate(stamps) if at <= middle]
        if past:  # this page crosses the middle: end a page on its first older item
            r = client.get(API, params=params | {"limit": past[0] + 1}, headers=auth)
            r.raise_for_status()
            if not r.json()["next_cursor"]:
                raise SystemExit("no bulletin of the smallest agency lies past the middle")
            return str(r.json()["next_cursor"]), pages + 1
        if not body["next_cursor"]:
            raise SystemExit("the smallest agency has no bulletin older than the middle")
        params["cursor"] = body["next_cursor"]


def prepare(base: str, world: World, n: int) -> Prepared:
    out = Prepared()
    with httpx.Client(base_url=base, timeout=120) as client:
        tokens = {
            "broad": login(client, world.broad_email),
            "narrow": login(client, world.narrow_email),
        }
        cursor, pages = deep_cursor(client, tokens["broad"], world, n)
        out.notes["deep_walk_pages"] = pages
        for who, token in tokens.items():
            auth = {"Authorization": f"Bearer {token}"}

            def get(path: str, auth: dict[str, str] = auth) -> Any:
                r = client.get(path, headers=auth)
                if r.status_code != 200:
                    raise SystemExit(f"GET {path} answered {r.status_code}: {r.text[:300]}")
                return r.json()

            first = get(API)["items"]
            deep = get(f"{API}?cursor={cursor}")["items"]
            filtered = get(f"{API}?{FILTER}")["items"]
            q = QUERY.replace(" ", "+")
            found = get(f"{API}?q={q}")["items"]
            ids = [i["id"] for i in first + deep + found + filtered][:100]
            out.notes[f"{who}_page_tlps"] = _count(i["tlp"] for i in first)
            out.notes[f"{who}_filter_rows"] = len(filtered)
            out.notes[f"{who}_search_rows"] = len(found)
            bare = "/api/bench/bare?ids=" + ",".join(i["id"] for i in first)
            if [i["id"] for i in get(bare)["items"]] != [i["id"] for i in first]:
                raise SystemExit("the bare endpoint does not serve the product's first page")
            out.cases += [
                Case(who, "list", [API], token),
                Case(who, "deep", [f"{API}?cursor={cursor}"], token),
                Case(who, "filter", [f"{API}?{FILTER}"], token),
                Case(who, "search", [f"{API}?q={q}"], token),
                Case(who, "get", [f"{API}/{i}" for i in ids], token),
                Case(who, "bare", [bare], token),
            ]
            for path in out.cases[-2].paths:
                get(path)
    return out


def _count(values: Iterator[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


# ----------------------------------------------------------------------------- load


LUA = """
local paths = {%s}
local n = #paths
local i = math.random(n) - 1
request = function()
  i = (i %% n) + 1
  return wrk.format("GET", paths[i])
end
"""


def wrk(base: str, case: Case, seconds: float, connections: int, tmp: Path) -> dict[str, float]:
    lua = LUA % ", ".join(json.dumps(p) for p in case.paths)
    auth = f"Authorization: Bearer {case.token}"
    return run_wrk(base, lua, seconds, connections, tmp, [auth], f"{case.who}/{case.name}")


# ----------------------------------------------------------------------------- plans


def capture_plans(url: str, tmp: Path, prepared: Prepared) -> dict[str, list[str]]:
    """Run each case once through the app in-process and explain the bulletin queries it ran."""
    from fastapi.testclient import TestClient

    os.environ.update(server_env(url, tmp))
    from oversight.config import get_settings
    from oversight.main import create_app

    get_settings.cache_clear()
    engine = make_engine(url)
    seen: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _keep(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM bulletin" in statement:
            seen.append((statement, params))  # the explains below start with EXPLAIN

    app = create_app(engine=engine)
    plans: dict[str, list[str]] = {}
    with TestClient(app) as client:
        for case in prepared.cases:
            if case.name == "bare":
                continue
            seen.clear()
            r = client.get(case.paths[0], headers={"Authorization": f"Bearer {case.token}"})
            r.raise_for_status()
            ran, lines = list(seen), []
            with engine.connect() as conn:
                for statement, params in ran:
                    lines += explain(conn, statement, params)
            plans[f"{case.who}/{case.name}"] = lines
    engine.dispose()
    return plans


def explain(conn: Any, statement: str, params: Any) -> list[str]:
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
        t = time.perf_counter()
        conn.exec_driver_sql(statement, params).all()
        took = (time.perf_counter() - t) * 1000
        return [f"{'  ' * _depth(rows, r)}{r[3]}" for r in rows] + [f"(ran in {took:.2f} ms)"]
    rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params).all()
    return [r[0] for r in rows]


def _depth(rows: list[Any], row: Any) -> int:
    parents = {r[0]: r[1] for r in rows}
    depth, node = 0, row[1]
    while node in parents:
        depth, node = depth + 1, parents[node]
    return depth


def full_scans(lines: list[str]) -> list[str]:
    bad = re.compile(r"^\s*(SCAN bulletin\b(?! USING)|.*Seq Scan on bulletin\b)")
    return [ln.strip() for ln in lines if bad.search(ln)]


# ----------------------------------------------------------------------------- run


def measure_size(kind: str, n: int, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    db = Database(kind, tmp)
    result: dict[str, Any] = {"db": kind, "size": n, "connections": args.connections, "cases": {}}
    try:
        engine = make_engine(db.url)
        migrations.upgrade(engine)
        world, seconds = seed(engine, n)
        result["seed_seconds"] = seconds
        with engine.connect() as conn:
            result["rows"] = _count_rows(conn)
        engine.dispose()
        print(f"\n[{kind} {n:,}] seeded in {seconds:.0f} s: {result['rows']}", flush=True)
        server = Server([sys.executable, __file__, "--serve", "{port}"], db.url, tmp)
        try:
            prepared = prepare(server.base, world, n)
            result["notes"] = prepared.notes
            for case in prepared.cases:
                wrk(server.base, case, 1, args.connections, tmp)  # warm-up
                loaded = wrk(server.base, case, args.duration, args.connections, tmp)
                single = wrk(server.base, case, args.duration, 1, tmp)
                result["cases"][f"{case.who}/{case.name}"] = {"loaded": loaded, "single": single}
                print(
                    f"  {case.who:>6} {case.name:<7} {_fmt(loaded)} | c=1 {_fmt(single)}",
                    flush=True,
                )
            result["ratios"] = throughput_ratios(server.base, prepared.cases, args, tmp)
        finally:
            server.stop()
        if args.plans and n == max(args.sizes_for[kind]):
            result["plans"] = capture_plans(db.url, tmp, prepared)
    finally:
        db.drop()
    return result


RATIO_ROUNDS = 3


def throughput_ratios(
    base: str, cases: list[Case], args: argparse.Namespace, tmp: Path
) -> dict[str, list[float]]:
    """Each member's list req/s over the bare endpoint's, from runs in turn (list, bare, list,
    bare, ...): single runs minutes apart drift with the machine by more than the margin."""
    out: dict[str, list[float]] = {}
    for who in ("broad", "narrow"):
        product = next(c for c in cases if c.who == who and c.name == "list")
        bare = next(c for c in cases if c.who == who and c.name == "bare")
        ratios = []
        for _ in range(RATIO_ROUNDS):
            a = wrk(base, product, args.duration, args.connections, tmp)["rps"]
            b = wrk(base, bare, args.duration, args.connections, tmp)["rps"]
            ratios.append(a / b)
        out[who] = ratios
        print(f"  {who:>6} list/bare req/s, in turn: {', '.join(f'{r:.2f}' for r in ratios)}")
    return out


def _count_rows(conn: Any) -> dict[str, int]:
    rows = conn.execute(
        select(Bulletin.tlp, Bulletin.status, func.count()).group_by(Bulletin.tlp, Bulletin.status)
    ).all()
    out: dict[str, int] = {}
    for tlp, status, count in rows:
        key = "draft" if status == "draft" else tlp
        out[key] = out.get(key, 0) + count
    ta = Bulletin.__recipient_agency_table__
    tu = Bulletin.__recipient_user_table__
    out["recipient_agency_rows"] = conn.execute(select(func.count()).select_from(ta)).scalar()
    out["recipient_user_rows"] = conn.execute(select(func.count()).select_from(tu)).scalar()
    return out


def _fmt(r: dict[str, float]) -> str:
    return (
        f"p50 {r['p50']:7.2f}  p95 {r['p95']:7.2f}  p99 {r['p99']:7.2f} ms  {r['rps']:7.0f} req/s"
    )


def report(results: list[dict[str, Any]]) -> None:
    print("\n== Plans at the largest size")
    for res in results:
        for case, lines in res.get("plans", {}).items():
            print(f"\n[{res['db']} {res['size']:,}] {case}")
            for line in lines:
                print(f"    {line}")
            if full_scans(lines):
                print(f"    !! full scan: {full_scans(lines)}")
    print("\n== Targets")
    for kind in sorted({r["db"] for r in results}):
        runs = sorted((r for r in results if r["db"] == kind), key=lambda r: r["size"])
        small, large = runs[0], runs[-1]
        print(f"\n[{kind}] p50 at {large['size']:,} / p50 at {small['size']:,} (target <= 1.3)")
        for case, big in large["cases"].items():
            if case.endswith("/bare"):
                continue
            base = small["cases"][case]
            lo = big["loaded"]["p50"] / base["loaded"]["p50"]
            one = big["single"]["p50"] / base["single"]["p50"]
            flag = "ok" if min(lo, one) <= 1.3 else "MISSED"
            print(f"  {case:<15} loaded {lo:5.2f}  c=1 {one:5.2f}  {flag}")
        print(
            f"[{kind}] product list req/s / bare req/s, same 50 rows, median of "
            f"{RATIO_ROUNDS} runs in turn (target >= 0.5)"
        )
        for run in runs:
            for who in ("broad", "narrow"):
                ratios = run["ratios"][who]
                ratio = statistics.median(ratios)
                flag = "ok" if ratio >= 0.5 else "MISSED"
                each = ", ".join(f"{r:.2f}" for r in ratios)
                print(f"  {run['size']:>9,} {who:<6} {ratio:5.2f}  ({each}) {flag}")
        # Latency is read at one connection. Under --connections closed-loop connections on
        # one worker, every request waits for those ahead of it: latency is then connections
        # / throughput (Little's law), the same for lists, and says nothing of the search.
        print(f"[{kind}] search p95 at {large['size']:,}, one connection (target < 50 ms)")
        for who in ("broad", "narrow"):
            s = large["cases"][f"{who}/search"]
            flag = "ok" if s["single"]["p95"] < 50 else "MISSED"
            print(
                f"  {who:<6} c=1 {s['single']['p95']:.2f} ms  {flag}"
                f"  (under {large['connections']} connections: {s['loaded']['p95']:.0f} ms,"
                f" {s['loaded']['rps']:.0f} req/s)"
            )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", help="comma-separated bulletin counts, for every database")
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--duration", type=float, default=5.0, help="seconds of load per case")
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--no-plans", dest="plans", action="store_false")
    p.add_argument("--output", help="also write the figures as JSON here")
    p.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve:
        serve(args.serve)
        return
    ensure_wrk()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    given = [int(s) for s in args.sizes.split(",")] if args.sizes else None
    args.sizes_for = {k: given or DEFAULT_SIZES[k] for k in kinds}
    results = []
    with tempfile.TemporaryDirectory(prefix="oversight-bench-") as tmp:
        for kind in kinds:
            for n in args.sizes_for[kind]:
                results.append(measure_size(kind, n, args, Path(tmp)))
    report(results)
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
