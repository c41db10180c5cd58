"""The TAXII objects page against medallion and against the REST list, under load; and the
objects page at 10k and 1M bulletins.

    .venv/bin/python bench/taxii.py [--bulletins 50] [--db sqlite|postgres|both]
                                    [--duration 5] [--connections 8] [--rounds 3]
                                    [--sizes 10000,1000000] [--no-side-by-side]

Side by side, for each database: a fresh database (SQLite file in a temp dir; PostgreSQL
database on OVERSIGHT_BENCH_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres,
dropped afterwards) migrated by the project's migrations; one agency, an editor and a partner
system; `--bulletins` GREEN bulletins with five indicators each, created and published through
the bulletins service (so the collection's versions are built as in production). Then the
real app (`oversight serve`, one worker) under wrk, as the partner system (a client-credentials
token): `GET /api/v1/bulletins?limit=<bulletins>` (at most 200) and the TAXII objects page
that holds those bulletins' objects (reports, indicators, the identity and the markings:
`limit` = every object of the collection); and medallion, the OASIS reference TAXII server
(its memory backend loaded with exactly the objects and manifest our page served, gunicorn,
one sync worker, HTTP Basic), serving the same objects in one page. The three cases run in
turn, `--rounds` times, and the median of each is reported (single runs minutes apart drift
with a shared machine by more than the differences measured).

At scale (`--sizes`): bench/bulletins.py's world and bulletins (12 agencies, the realistic
TLP and status mix) seeded with bulk inserts, plus pre-built collection rows for every
published or withdrawn bulletin (a report and one object per indicator, the JSON shaped as
the feed builds it; the markings and identities written by the feed itself). The broadly
cleared member of that world reads the first objects page (`limit=300`) and the page after an
`added_after` near the newest version (what a partner in sync asks), at `--connections` and
at one connection. Figures go in docs/architecture.md ("TAXII feed").
"""

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from loadgen import Server, ensure_wrk, free_port, run_wrk
from sqlalchemy import Engine, insert, text
from sqlalchemy.engine import make_url

from oversight.auth.passwords import new_secret, secret_digest
from oversight.auth.principal import Principal
from oversight.db import make_engine, make_sessionmaker, migrations, unit_of_work
from oversight.taxii.service import COLLECTION_ID

PG_URL = os.environ.get(
    "OVERSIGHT_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
OBJECTS = f"/taxii2/oversight/collections/{COLLECTION_ID}/objects/"
MANIFEST = f"/taxii2/oversight/collections/{COLLECTION_ID}/manifest/"
MEDALLION_OBJECTS = f"/oversight/collections/{COLLECTION_ID}/objects/"
TAXII = "application/taxii+json;version=2.1"
MEDALLION_USER, MEDALLION_PASSWORD = "partner", "bench-partner-password"
CASES = ("REST list", "TAXII objects", "medallion objects")


def _database(kind: str, tmp: Path) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{tmp / f'taxii-bench-{uuid.uuid4().hex[:8]}.db'}", None
    name = f"oversight_taxii_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False), name


def _drop(name: str | None) -> None:
    if name is None:
        return
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def seed(url: str, bulletins: int) -> tuple[str, str]:
    """The agency, its editor and partner system, and the published bulletins; the partner
    system's client id and secret."""
    from oversight import models  # noqa: F401  (every model, for the mappers)
    from oversight.accounts.models import Agency, ServiceAccount, User
    from oversight.audit import recorder
    from oversight.bulletins import service
    from oversight.bulletins.schemas import BulletinCreate

    engine = make_engine(url)
    migrations.upgrade(engine)
    recorder.install()
    secret = new_secret("ovs_")
    client_id = f"cli_{uuid.uuid4().hex[:16]}"
    with unit_of_work(make_sessionmaker(engine), actor=recorder.SYSTEM) as session:
        agency = Agency(name="Bench Police", slug="bench-police", sector="police")
        session.add(agency)
        session.flush()
        editor = User(
            email="editor@bench.example",
            display_name="Bench Editor",
            agency_id=agency.id,
            roles=["editor", "member"],
            password_hash="!",
        )
        sa = ServiceAccount(
            name="Bench partner",
            agency_id=agency.id,
            client_id=client_id,
            secret_hash=secret_digest(secret),
            scopes=["bulletins:read"],
        )
        session.add_all([editor, sa])
        session.flush()
        writer = Principal(
            "user", editor.id, agency.id, frozenset(editor.roles), frozenset({"bulletins:write"})
        )
        for i in range(bulletins):
            body = BulletinCreate.model_validate(
                {
                    "title": f"Bench bulletin {i}",
                    "summary": "Phishing kit hosted on compromised small-business sites.",
                    "body": "## What happens\nA kit harvests Office 365 credentials.",
                    "category": "phishing",
                    "severity": "high",
                    "sectors": ["sme"],
                    "indicators": [
                        {"type": "domain", "value": f"login-{i}-{j}.example"} for j in range(5)
                    ],
                    "references": ["https://www.ncsc.gov.uk/collection/phishing-scams"],
                    "tlp": "GREEN",
                }
            )
            draft = service.create(session, writer, body)
            service.publish(session, writer, draft.id, draft.version)
    engine.dispose()
    return client_id, secret


# ----------------------------------------------------------------------------- medallion


class Medallion:
    """medallion's Flask app under gunicorn (one sync worker), its memory backend holding
    `objects` and `manifest` in our collection's id, under an API root named as ours."""

    def __init__(self, objects: list[Any], manifest: list[Any], tmp: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        root = f"{self.base}/oversight/"
        data = {
            "/discovery": {
                "title": "Bench TAXII server",
                "description": "medallion, loaded with the bench's collection",
                "default": root,
                "api_roots": [root],
            },
            "oversight": {
                "information": {
                    "title": "Bench API root",
                    "description": "The bench's collection",
                    "versions": [TAXII],
                    "max_content_length": 10 * 1024 * 1024,
                },
                "status": [],
                "collections": [
                    {
                        "id": COLLECTION_ID,
                        "title": "Bulletins",
                        "description": "The same objects as the bench's TAXII page",
                        "can_read": True,
                        "can_write": False,
                        "media_types": ["application/stix+json;version=2.1"],
                        "objects": objects,
                        "manifest": manifest,
                    }
                ],
            },
        }
        data_file = tmp / "medallion-data.json"
        data_file.write_text(json.dumps(data))
        config = tmp / "medallion-config.json"
        config.write_text(
            json.dumps(
                {
                    "backend": {
                        "module": "medallion.backends.memory_backend",
                        "module_class": "MemoryBackend",
                        "filename": str(data_file),
                    },
                    "users": {MEDALLION_USER: MEDALLION_PASSWORD},
                    "taxii": {"max_page_size": 1000},
                }
            )
        )
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.proc = subprocess.Popen(
            [
                gunicorn,
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                f"medallion:load_app({str(config)!r})",
            ]
        )
        token = base64.b64encode(f"{MEDALLION_USER}:{MEDALLION_PASSWORD}".encode()).decode()
        self.auth = f"Authorization: Basic {token}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"medallion exited with {self.proc.returncode}")
            try:
                r = httpx.get(
                    self.base + "/taxii2/",
                    headers={"Authorization": self.auth.split(": ", 1)[1], "Accept": TAXII},
                    timeout=2,
                )
                if r.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit("medallion did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# ----------------------------------------------------------------------------- side by side


def side_by_side(kind: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    url, made = _database(kind, tmp)
    try:
        client_id, secret = seed(url, args.bulletins)
        oversight = str(Path(sys.executable).with_name("oversight"))
        server = Server([oversight, "serve", "--port", "{port}"], url, tmp)
        medallion: Medallion | None = None
        try:
            with httpx.Client(base_url=server.base, timeout=30) as http:
                r = http.post(
                    "/api/v1/auth/token",
                    data={
                        "grant_type": "client_credentials",
                        "client_id": client_id,
                        "client_secret": secret,
                    },
                )
                r.raise_for_status()
                auth = f"Authorization: Bearer {r.json()['access_token']}"
                h = {"Authorization": auth.split(": ", 1)[1], "Accept": TAXII}
                everything = http.get(OBJECTS, params={"limit": 1000}, headers=h).json()
                listed = http.get(MANIFEST, params={"limit": 1000}, headers=h).json()
                objects, manifest = everything["objects"], listed["objects"]
                n = len(objects)
                if everything.get("more") or len(manifest) != n:
                    raise SystemExit("the collection does not fit in one page")
                medallion = Medallion(objects, manifest, tmp)
                mh = {"Authorization": medallion.auth.split(": ", 1)[1], "Accept": TAXII}
                theirs = httpx.get(
                    f"{medallion.base}{MEDALLION_OBJECTS}?limit={n}", headers=mh, timeout=30
                ).json()
                if sorted(o["id"] for o in theirs["objects"]) != sorted(o["id"] for o in objects):
                    raise SystemExit("medallion does not serve the objects of our page")
                cases = {
                    "REST list": (
                        server.base,
                        f"/api/v1/bulletins?limit={min(args.bulletins, 200)}",
                        auth,
                    ),
                    "TAXII objects": (server.base, f"{OBJECTS}?limit={n}", auth),
                    "medallion objects": (
                        medallion.base,
                        f"{MEDALLION_OBJECTS}?limit={n}",
                        medallion.auth,
                    ),
                }
                sizes = {
                    name: len(
                        httpx.get(
                            base + path,
                            headers={"Authorization": a.split(": ", 1)[1], "Accept": TAXII},
                            timeout=30,
                        ).content
                    )
                    for name, (base, path, a) in cases.items()
                }
                runs: dict[str, list[dict[str, float]]] = {name: [] for name in cases}
                for name, (base, path, a) in cases.items():  # warm-up
                    if name != CASES[2]:
                        _load(base, path, a, 1, args.connections, tmp, f"{kind}-{name}")
                for _ in range(args.rounds):
                    for name, (base, path, a) in cases.items():
                        # medallion takes about a second a page: 10 s gives it a few answers.
                        seconds = max(args.duration, 10) if name == CASES[2] else args.duration
                        runs[name].append(
                            _load(base, path, a, seconds, args.connections, tmp, name)
                        )
                out: dict[str, Any] = {"db": kind, "objects": n, "load": os.getloadavg()}
                for name in cases:
                    rps = [r["rps"] for r in runs[name]]
                    p50 = [r["p50"] for r in runs[name]]
                    out[name] = {
                        "rps": statistics.median(rps),
                        "rps_all": rps,
                        "p50": statistics.median(p50),
                        "p99": statistics.median(r["p99"] for r in runs[name]),
                        "bytes": sizes[name],
                    }
                return out
        finally:
            if medallion is not None:
                medallion.stop()
            server.stop()
    finally:
        _drop(made)


def _load(
    base: str, path: str, auth: str, seconds: float, connections: int, tmp: Path, name: str
) -> dict[str, float]:
    lua = f'request = function() return wrk.format("GET", "{path}") end\n'
    return run_wrk(base, lua, seconds, connections, tmp, [auth, f"Accept: {TAXII}"], name)


# ----------------------------------------------------------------------------- at scale


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def collection_rows(
    bulletin: dict[str, Any], identity: str, marking_refs: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The objects and versions the feed holds for one published or withdrawn bulletin
    (withdrawn: its objects revoked), each body shaped as the feed builds it."""
    from oversight.taxii.stix import pattern

    published = bulletin["published_at"]
    revoked = bulletin["status"] == "withdrawn"
    moment = _stamp(published)
    objects, versions = [], []
    refs: list[str] = []

    def add(stix_type: str, doc: dict[str, Any], k: int) -> str:
        stix_id = f"{stix_type}--{uuid.uuid4()}"
        common = {
            "type": stix_type,
            "spec_version": "2.1",
            "id": stix_id,
            "created": moment,
            "modified": moment,
            "created_by_ref": identity,
            "object_marking_refs": marking_refs,
        }
        if revoked:
            common["revoked"] = True
        body = json.dumps(doc | common, sort_keys=True)
        oid = uuid.uuid4()
        objects.append(
            {
                "id": oid,
                "stix_id": stix_id,
                "stix_type": stix_type,
                "key": uuid.uuid4().hex + uuid.uuid4().hex,
                "bulletin_id": bulletin["id"],
                "created": published,
                "modified": published,
                "digest": uuid.uuid4().hex + uuid.uuid4().hex,
                "versions": 1,
                "revoked": revoked,
            }
        )
        versions.append(
            {
                "id": uuid.uuid4(),
                "object_id": oid,
                "stix_id": stix_id,
                "stix_type": stix_type,
                "bulletin_id": bulletin["id"],
                "number": 1,
                "modified": published,
                # Bulletins are created at least a few seconds apart: a microsecond per
                # object keeps every `date_added` unique and in the bulletins' order.
                "date_added": bulletin["created_at"] + timedelta(microseconds=k),
                "is_latest": True,
                "spec_version": "2.1",
                "body": body,
            }
        )
        return stix_id

    for k, item in enumerate(bulletin["indicators"], start=1):
        kind, value = item["type"], item["value"]
        note = item.get("description") or f"From the bulletin: {bulletin['title']}"
        if kind == "cve":
            doc = {
                "name": value,
                "description": note,
                "external_references": [{"source_name": "cve", "external_id": value}],
            }
            refs.append(add("vulnerability", doc, k))
        else:
            doc = {
                "name": f"{kind} {value}",
                "description": note,
                "indicator_types": ["malicious-activity"],
                "pattern": pattern(kind, value),
                "pattern_type": "stix",
                "valid_from": moment,
            }
            refs.append(add("indicator", doc, k))
    report = {
        "name": bulletin["title"],
        "description": f"{bulletin['summary']}\n\n{bulletin['body']}",
        "report_types": ["threat-report"],
        "published": moment,
        "object_refs": refs,
        "labels": [bulletin["category"], bulletin["severity"]],
        "external_references": [
            {"source_name": "reference", "description": u} for u in bulletin["references"]
        ],
    }
    add("report", report, len(refs) + 1)
    return objects, versions


def seed_scale(engine: Engine, n: int) -> tuple[Any, int, float]:
    """bench/bulletins.py's world and n bulletins, and their collection; the world, how many
    versions the collection holds, and the seconds the seed took."""
    import random

    import bulletins as bench
    from oversight import models  # noqa: F401  (every model, for the mappers)
    from oversight.accounts.models import Agency
    from oversight.audit import recorder
    from oversight.bulletins.models import Bulletin
    from oversight.taxii import feed, markings
    from oversight.taxii.models import StixCollectionHead, StixObject, StixVersion

    started = time.perf_counter()
    rng = random.Random(20261127)
    world = bench.seed_world(engine, rng)
    recorder.install()
    identities: dict[uuid.UUID, str] = {}
    with unit_of_work(make_sessionmaker(engine), actor=recorder.SYSTEM) as session:
        writer = feed.Writer(session)
        writer.markings()
        for agency in session.query(Agency).all():
            identities[agency.id] = writer.identity(agency.id, agency.name)
    ta, tu = Bulletin.__recipient_agency_table__, Bulletin.__recipient_user_table__
    versions_total, newest = 0, None
    for bulletins, agencies, users in bench.bulletin_rows(world, n, rng):
        objects, versions = [], []
        for b in bulletins:
            if b["status"] == "draft":
                continue
            refs = markings.refs(b["tlp"], b["protective_marking"])
            o, v = collection_rows(b, identities[b["agency_id"]], refs)
            objects += o
            versions += v
        with engine.begin() as conn:
            conn.execute(insert(Bulletin.__table__), bulletins)
            if agencies:
                conn.execute(insert(ta), agencies)
            if users:
                conn.execute(insert(tu), users)
            conn.execute(insert(StixObject.__table__), objects)
            conn.execute(insert(StixVersion.__table__), versions)
        versions_total += len(versions)
        newest = versions[-1]["date_added"] if versions else newest
        if versions_total and versions_total % 500_000 < len(versions):
            took = time.perf_counter() - started
            print(f"  seeded {versions_total:,} versions in {took:.0f} s", flush=True)
    with engine.begin() as conn:
        conn.execute(StixCollectionHead.__table__.update().values(last_added=newest))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return world, versions_total, time.perf_counter() - started


class Scaled:
    """One size's database, seeded, and its server once started."""

    def __init__(self, kind: str, n: int, tmp: Path) -> None:
        self.kind, self.n = kind, n
        self.url, self.made = _database(kind, tmp)
        engine = make_engine(self.url)
        migrations.upgrade(engine)
        self.world, self.versions, self.seconds = seed_scale(engine, n)
        with engine.connect() as conn:
            tail = conn.execute(
                text(
                    "SELECT date_added FROM stix_version ORDER BY date_added DESC "
                    "LIMIT 1 OFFSET 400"
                )
            ).scalar_one()
        engine.dispose()
        if isinstance(tail, str):  # SQLite hands back the stored text
            tail = datetime.fromisoformat(tail)
        self.after = tail.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.server: Server | None = None
        print(f"[{kind} {n:,}] seeded {self.versions:,} versions in {self.seconds:.0f} s")

    def start(self, tmp: Path) -> dict[str, tuple[str, str, int]]:
        """Serve it; the cases as (path, Authorization header, objects on the page)."""
        import bulletins as bench

        oversight = str(Path(sys.executable).with_name("oversight"))
        self.server = Server([oversight, "serve", "--port", "{port}"], self.url, tmp)
        with httpx.Client(base_url=self.server.base, timeout=60) as http:
            token = bench.login(http, self.world.broad_email)
            h = {"Authorization": f"Bearer {token}", "Accept": TAXII}
            cases = {}
            for name, path in (
                ("first page", f"{OBJECTS}?limit=300"),
                ("after added_after", f"{OBJECTS}?limit=300&added_after={self.after}"),
            ):
                r = http.get(path, headers=h)
                r.raise_for_status()
                cases[name] = (path, f"Authorization: Bearer {token}", len(r.json()["objects"]))
        return cases

    @property
    def base(self) -> str:
        if self.server is None:
            raise RuntimeError("not started")
        return self.server.base

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
        _drop(self.made)


def at_scale(kind: str, sizes: list[int], args: argparse.Namespace, tmp: Path) -> list[Any]:
    """Every size seeded first, then each page of each size measured in turn, `--rounds`
    times, loaded and at one connection: the medians, per size and page."""
    dbs: list[Scaled] = []
    try:
        for n in sizes:
            dbs.append(Scaled(kind, n, tmp))
        cases = [db.start(tmp) for db in dbs]
        if args.lock:
            import fcntl

            lock = open(args.lock, "w")  # noqa: SIM115  (held until the process ends)
            fcntl.flock(lock, fcntl.LOCK_EX)
        load = os.getloadavg()
        runs: dict[tuple[int, str, int], list[dict[str, float]]] = {}
        for db, pages in zip(dbs, cases, strict=True):  # warm-up
            for name, (path, auth, _) in pages.items():
                _load(db.base, path, auth, 1, args.connections, tmp, name)
        for _ in range(args.rounds):
            for db, pages in zip(dbs, cases, strict=True):
                for name, (path, auth, _) in pages.items():
                    base = db.base
                    for c in (args.connections, 1):
                        r = _load(base, path, auth, args.duration, c, tmp, name)
                        runs.setdefault((db.n, name, c), []).append(r)
        out = []
        for db, pages in zip(dbs, cases, strict=True):
            for name, (_, _, shown) in pages.items():
                row = {"size": db.n, "versions": db.versions, "seed": db.seconds}
                row |= {"page": name, "objects": shown, "load": (load, os.getloadavg())}
                for c, label in ((args.connections, "loaded"), (1, "single")):
                    got = runs[(db.n, name, c)]
                    row[label] = {
                        "p50": statistics.median(r["p50"] for r in got),
                        "rps": statistics.median(r["rps"] for r in got),
                    }
                out.append(row)
        return out
    finally:
        for db in dbs:
            db.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bulletins", type=int, default=50)
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--duration", type=float, default=5.0, help="seconds of load per case")
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--rounds", type=int, default=3, help="runs of each case, in turn")
    p.add_argument("--sizes", default="", help="comma-separated bulletin counts (at scale)")
    p.add_argument("--no-side-by-side", dest="side_by_side", action="store_false")
    p.add_argument(
        "--lock", help="a file to lock while measuring at scale (runs side by side take turns)"
    )
    args = p.parse_args()
    ensure_wrk()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if args.side_by_side:
        print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
        print(
            "| db | case | objects | bytes | req/s (median) | req/s (each run) | p50 ms | p99 ms |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for kind in kinds:
            with tempfile.TemporaryDirectory() as tmp:
                r = side_by_side(kind, args, Path(tmp))
            for name in CASES:
                c = r[name]
                count = args.bulletins if name == "REST list" else r["objects"]
                each = ", ".join(f"{x:.1f}" for x in c["rps_all"])
                print(
                    f"| {kind} | {name} | {count} | {c['bytes']:,} | {c['rps']:.1f} | {each} | "
                    f"{c['p50']:.1f} | {c['p99']:.1f} |",
                    flush=True,
                )
            ours, theirs, rest = (
                r[name]["rps"] for name in ("TAXII objects", "medallion objects", "REST list")
            )
            print(
                f"[{kind}] TAXII / medallion {ours / max(theirs, 1e-9):.0f}x (goal >= 10), "
                f"TAXII / REST list {ours / rest:.2f} (goal >= 1); load average after "
                f"{r['load'][0]:.2f}",
                flush=True,
            )
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if not sizes:
        return
    for kind in kinds:
        with tempfile.TemporaryDirectory() as tmp:
            rows = at_scale(kind, sizes, args, Path(tmp))
        before, after = rows[0]["load"]
        print(
            f"\n[{kind}] load average {before[0]:.2f} before the measures, {after[0]:.2f} after\n"
            "| db | bulletins | versions | seed s | page | objects | "
            f"p50 ms (c={args.connections}) | req/s | p50 ms (c=1) |\n"
            "|---|---|---|---|---|---|---|---|---|",
            flush=True,
        )
        for r in rows:
            print(
                f"| {kind} | {r['size']:,} | {r['versions']:,} | {r['seed']:.0f} | {r['page']} | "
                f"{r['objects']} | {r['loaded']['p50']:.1f} | {r['loaded']['rps']:.0f} | "
                f"{r['single']['p50']:.1f} |",
                flush=True,
            )
        for name in ("first page", "after added_after"):
            mine = [r for r in rows if r["page"] == name]
            small, large = mine[0], mine[-1]
            lo = large["loaded"]["p50"] / small["loaded"]["p50"]
            one = large["single"]["p50"] / small["single"]["p50"]
            print(
                f"[{kind}] {name}: p50 at {large['size']:,} / p50 at {small['size']:,}: "
                f"loaded {lo:.2f}, c=1 {one:.2f} (goal <= 1.3)",
                flush=True,
            )


if __name__ == "__main__":
    main()
