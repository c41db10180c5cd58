"""A member's first page of 50 GREEN bulletins: ours, the floor of the stack, and medallion,
side by side in one run; or, with `--list`, the first page of actions, reports or meetings
against its floor.

    .venv/bin/python bench/read_floor.py [--db sqlite|postgres|both] [--size 100000]
                                         [--duration 5] [--connections 32] [--rounds 3]
                                         [--workers 2] [--list bulletins|actions|reports|meetings]

For each database: a fresh database seeded as bench/bulletins.py seeds it (12 agencies, the
realistic TLP and status mix, `--size` bulletins, bulk inserts). Three servers, one worker
each, on 127.0.0.1:

- ours: the real app (`oversight serve`), `GET /api/v1/bulletins?tlp=GREEN&limit=50` for the
  broadly cleared member of that world (a password-grant token);
- the floor: a separate minimal FastAPI app (`floor_app` below, uvicorn): it decodes and
  checks the same JWT (signature, expiry, issuer, audience), runs one `select` of the same 50
  rows (the bulletin's columns, its agency's and author's names) on an engine made exactly as
  ours, and answers the same JSON (the bench checks the ids, and prints both sizes); no
  middleware, no policy, no audit, no admission control;
- medallion, the OASIS reference TAXII server (memory backend, gunicorn, one sync worker):
  the 50 STIX reports of those bulletins in one page.

With `--workers N`, ours is also served by `oversight serve --workers N` (the same database),
as a fourth case. wrk drives each in turn, `--rounds` times; the median of each is reported,
with the ratios the read-path issue sets goals for (ours / floor >= 0.7, ours / medallion
>= 3, N workers / one >= 1.5), and each ratio round by round with the median of those.
The load average is printed before and after.

`--list actions|reports|meetings`: the same world with `--size` GREEN items of that list
(each by an editor of its agency, stored as the lists serve them) instead of the bulletins;
ours is `GET /api/v1/<list>?limit=50`, the floor selects the same 50 rows (newest first; by
`held_at` for meetings) with their agency's and author's names. Medallion serves bulletins
only, so it is not a case there. Figures go in
docs/architecture.md ("The read path at the limit").
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from loadgen import Server, ensure_wrk, run_wrk

# A member's first page of each list. Bulletins are seeded with the realistic TLP mix and read
# GREEN; the other lists are seeded GREEN only, so the floor's plain select serves the same
# rows as our policy-filtered page.
PAGES = {
    "bulletins": "/api/v1/bulletins?tlp=GREEN&limit=50",
    "actions": "/api/v1/actions?limit=50",
    "reports": "/api/v1/reports?limit=50",
    "meetings": "/api/v1/meetings?limit=50",
}
FLOOR = "/floor/items"
CASES = ("ours", "floor", "medallion")
TAXII = "application/taxii+json;version=2.1"


# ----------------------------------------------------------------------------- the floor


def floor_app(kind: str) -> Any:
    """The floor of the stack: FastAPI, a JWT check, one select, JSON out."""
    from fastapi import FastAPI, Header, HTTPException
    from fastapi.responses import Response
    from jose import JWTError, jwt
    from sqlalchemy import and_, select, true

    from oversight.accounts.models import Agency, User
    from oversight.actions.models import ActionItem
    from oversight.bulletins.models import Bulletin
    from oversight.config import get_settings
    from oversight.db import make_engine
    from oversight.meetings.models import Meeting
    from oversight.reports.models import Report

    model: Any = {"bulletins": Bulletin, "actions": ActionItem, "reports": Report}.get(
        kind, Meeting
    )
    settings = get_settings()
    key, alg = settings.resolved_secret(), settings.jwt_algorithm
    engine = make_engine(settings.database_url)
    skipped = {"search_vector", "names_agencies"}
    columns = [c for c in model.__table__.c if c.name not in skipped]
    newest = model.held_at if kind == "meetings" else model.created_at
    readable = (
        and_(Bulletin.tlp == "GREEN", Bulletin.status != "draft") if kind == "bulletins" else true()
    )
    authored = "author_id" in model.__table__.c
    stmt = (
        select(*columns, Agency.name, Agency.slug, *([User.display_name] if authored else []))
        .join(Agency, Agency.id == model.agency_id)
        .where(readable)
        .order_by(newest.desc(), model.id.desc())
        .limit(50)
    )
    if authored:
        stmt = stmt.outerjoin(User, User.id == model.author_id)
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(FLOOR)
    def items(authorization: str = Header()) -> Response:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer":
            raise HTTPException(401)
        try:
            jwt.decode(
                token, key, algorithms=[alg], audience=settings.audience, issuer=settings.issuer
            )
        except JWTError as exc:
            raise HTTPException(401) from exc
        with engine.connect() as conn:
            rows = conn.execute(stmt).all()
        items = []
        for r in rows:
            item = {c.name: getattr(r, c.name) for c in columns}
            item["agency"] = {"id": r.agency_id, "name": r.name, "slug": r.slug}
            if authored:
                item["author"] = (
                    {"id": r.author_id, "display_name": r.display_name} if r.author_id else None
                )
            item["shared_with_you"] = False
            items.append(item)
        body = json.dumps({"items": items, "next_cursor": None}, default=_json_default)
        return Response(body, media_type="application/json")

    return app


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


def serve_floor(port: int, kind: str) -> None:
    import uvicorn

    uvicorn.run(
        floor_app(kind),
        host="127.0.0.1",
        port=port,
        workers=1,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
    )


# ----------------------------------------------------------------------------- other lists


def seed_list(engine: Any, world: Any, listed: str, n: int) -> float:
    """n GREEN actions, reports or meetings of the world's agencies, each by one of its
    editors, stored as the lists serve them; returns the seconds."""
    import random
    import time
    from datetime import UTC, timedelta

    from sqlalchemy import insert

    from oversight.actions.models import ActionItem
    from oversight.meetings.models import Meeting
    from oversight.reports.models import Report
    from oversight.representations.store import refresh_database

    started = time.perf_counter()
    rng = random.Random(20261206)
    start = datetime(2023, 1, 1, tzinfo=UTC)

    def row(i: int) -> dict[str, Any]:
        a = rng.randrange(len(world.agency_ids))
        at = start + timedelta(minutes=i * 7 + rng.randrange(5))
        common = {
            "id": uuid.uuid4(),
            "agency_id": world.agency_ids[a],
            "tlp": "GREEN",
            "protective_marking": "OFFICIAL",
            "recipient_agencies": [],
            "recipient_users": [],
            "names_agencies": False,
        }
        if listed == "meetings":
            return common | {"title": f"Board {i}", "held_at": at}
        common |= {"author_id": rng.choice(world.editors[a]), "created_at": at, "updated_at": at}
        if listed == "actions":
            return common | {
                "title": f"Patch the exposed Office 365 tenants, round {i}",
                "owner_agency_id": world.agency_ids[rng.randrange(len(world.agency_ids))],
                "due_date": (at + timedelta(days=rng.randrange(-30, 120))).date(),
                "status": rng.choice(["open", "in_progress", "done"]),
            }
        return common | {
            "kind": rng.choice(["incident", "near_miss"]),
            "occurred_on": at.date(),
            "category": "ransomware",
            "vector": "phishing",
            "victim_type": "sme",
            "outcome": "contained",
            "financial_loss_gbp": rng.randrange(0, 5000),
            "reported_to_action_fraud": True,
            "description": "A phishing email led to encrypted file shares; restored from backup.",
            "anonymous_to_peers": False,
            "include_in_statistics": True,
            "status": "submitted",
        }

    model: Any = {"actions": ActionItem, "reports": Report}.get(listed, Meeting)
    for first in range(0, n, 20_000):
        with engine.begin() as conn:
            conn.execute(
                insert(model.__table__), [row(i) for i in range(first, min(n, first + 20_000))]
            )
    refresh_database(engine)
    return time.perf_counter() - started


# ----------------------------------------------------------------------------- the run


def reports(items: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """The STIX reports of the page's bulletins, shaped as the feed builds them, and their
    manifest, for medallion."""
    from oversight.taxii import markings
    from taxii import collection_rows

    objects, manifest = [], []
    identity = f"identity--{uuid.uuid4()}"
    for item in items:
        b = item | {
            "id": uuid.UUID(item["id"]),
            "published_at": datetime.fromisoformat(item["published_at"]),
            "created_at": datetime.fromisoformat(item["created_at"]),
        }
        _, versions = collection_rows(b, identity, markings.refs(b["tlp"], "OFFICIAL"))
        report = next(v for v in versions if v["stix_type"] == "report")
        doc = json.loads(report["body"])
        objects.append(doc)
        manifest.append(
            {
                "id": doc["id"],
                "date_added": doc["modified"],
                "version": doc["modified"],
                "media_type": "application/stix+json;version=2.1",
            }
        )
    return objects, manifest


def measure(kind: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    import bulletins as bench
    from oversight.db import make_engine, migrations
    from taxii import MEDALLION_OBJECTS, Medallion

    db = bench.Database(kind, tmp)
    try:
        engine = make_engine(db.url)
        migrations.upgrade(engine)
        listed = args.list
        if listed == "bulletins":
            world, seconds = bench.seed(engine, args.size)
        else:
            world, seconds = bench.seed(engine, 100)  # the world, and a few bulletins
            seconds += seed_list(engine, world, listed, args.size)
        engine.dispose()
        print(f"[{kind}] seeded {args.size:,} {listed} in {seconds:.0f} s", flush=True)
        page_path = PAGES[listed]
        oversight = str(Path(sys.executable).with_name("oversight"))
        ours = Server([oversight, "serve", "--port", "{port}"], db.url, tmp)
        floor = medallion = several = None
        try:
            argv = [sys.executable, __file__, "--serve-floor", "{port}", "--list", listed]
            floor = Server(argv, db.url, tmp)
            if args.workers > 1:
                argv = [oversight, "serve", "--port", "{port}", "--workers", str(args.workers)]
                several = Server(argv, db.url, tmp)
            with httpx.Client(base_url=ours.base, timeout=60) as api:
                token = bench.login(api, world.broad_email)
            with httpx.Client(timeout=60) as http:
                auth = f"Authorization: Bearer {token}"
                h = {"Authorization": f"Bearer {token}"}
                page = http.get(ours.base + page_path, headers=h)
                page.raise_for_status()
                items = page.json()["items"]
                bare = http.get(floor.base + FLOOR, headers=h)
                bare.raise_for_status()
                if [i["id"] for i in bare.json()["items"]] != [i["id"] for i in items]:
                    raise SystemExit("the floor does not serve the rows of our page")
                if len(items) != 50 or any(i["tlp"] != "GREEN" for i in items):
                    raise SystemExit(f"our page is not 50 GREEN {listed}")
                if set(bare.json()["items"][0]) != set(items[0]):
                    print(f"  fields differ: {set(bare.json()['items'][0]) ^ set(items[0])}")
                cases = {
                    "ours": (ours.base, page_path, [auth], len(page.content)),
                    **(
                        {}
                        if several is None
                        else {"workers": (several.base, page_path, [auth], len(page.content))}
                    ),
                    "floor": (floor.base, FLOOR, [auth], len(bare.content)),
                }
            if listed == "bulletins":  # medallion serves these bulletins' STIX reports
                objects, manifest = reports(items)
                medallion = Medallion(objects, manifest, tmp)
                mpath = f"{MEDALLION_OBJECTS}?limit=50"
                mauth = [medallion.auth, f"Accept: {TAXII}"]
                theirs = httpx.get(
                    medallion.base + mpath,
                    headers={"Authorization": medallion.auth.split(": ", 1)[1], "Accept": TAXII},
                    timeout=60,
                )
                theirs.raise_for_status()
                if len(theirs.json()["objects"]) != 50:
                    raise SystemExit("medallion does not serve the 50 reports")
                cases["medallion"] = (medallion.base, mpath, mauth, len(theirs.content))
            for name, (base, path, headers, _) in cases.items():  # warm-up
                _load(base, path, headers, 1, args.connections, tmp, name)
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in cases}
            for _ in range(args.rounds):
                for name, (base, path, headers, _) in cases.items():
                    runs[name].append(
                        _load(base, path, headers, args.duration, args.connections, tmp, name)
                    )
            out: dict[str, Any] = {"db": kind, "seed_seconds": seconds, "load": os.getloadavg()}
            for name, (_, _, _, size) in cases.items():
                rps = [r["rps"] for r in runs[name]]
                out[name] = {
                    "rps": statistics.median(rps),
                    "rps_all": rps,
                    "p50": statistics.median(r["p50"] for r in runs[name]),
                    "bytes": size,
                }
            return out
        finally:
            if medallion is not None:
                medallion.stop()
            if floor is not None:
                floor.stop()
            if several is not None:
                several.stop()
            ours.stop()
    finally:
        db.drop()


def _load(
    base: str,
    path: str,
    headers: list[str],
    seconds: float,
    connections: int,
    tmp: Path,
    name: str,
) -> dict[str, float]:
    lua = f'request = function() return wrk.format("GET", "{path}") end\n'
    return run_wrk(base, lua, seconds, connections, tmp, headers, name)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--list", choices=list(PAGES), default="bulletins", help="the list measured")
    p.add_argument("--size", type=int, default=100_000, help="items in the list's table")
    p.add_argument("--duration", type=float, default=5.0, help="seconds of load per run")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--rounds", type=int, default=3, help="runs of each case, in turn")
    p.add_argument(
        "--workers", type=int, default=1, help="also ours with this many worker processes"
    )
    p.add_argument("--serve-floor", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve_floor:
        serve_floor(args.serve_floor, args.list)
        return
    ensure_wrk()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="oversight-floor-") as tmp:
        for kind in kinds:
            results.append(measure(kind, args, Path(tmp)))
            print(f"[{kind}] load average after: {results[-1]['load'][0]:.2f}", flush=True)
    print(
        f"\n{args.list}:\n"
        f"| db | case | bytes | req/s (median of {args.rounds}) | req/s (each run) | p50 ms |\n"
        "|---|---|---|---|---|---|"
    )
    for r in results:
        for name in (*CASES, "workers"):
            if name not in r:
                continue
            c = r[name]
            each = ", ".join(f"{x:.0f}" for x in c["rps_all"])
            print(
                f"| {r['db']} | {name} | {c['bytes']:,} | {c['rps']:.0f} | {each} | "
                f"{c['p50']:.1f} |"
            )
    for r in results:
        ours, floor = r["ours"]["rps"], r["floor"]["rps"]
        against = (
            f", ours / medallion {ours / r['medallion']['rps']:.1f} (goal >= 3)"
            if "medallion" in r
            else ""
        )
        print(
            f"[{r['db']}] ours / floor {ours / floor:.2f} (goal >= 0.7){against}"
            f"; round by round: ours / floor {_paired(r, 'ours', 'floor')}"
        )
        if "workers" in r:
            print(
                f"[{r['db']}] ours with {args.workers} workers / one worker "
                f"{r['workers']['rps'] / ours:.2f} (goal >= 1.5 on PostgreSQL)"
                f"; round by round {_paired(r, 'workers', 'ours')}"
            )


def _paired(result: dict[str, Any], a: str, b: str) -> str:
    """`a` / `b` in each round, and their median: the cases of a round run back to back, so
    the machine's drift between rounds cancels out of a round's own ratio."""
    ratios = [x / y for x, y in zip(result[a]["rps_all"], result[b]["rps_all"], strict=True)]
    each = ", ".join(f"{x:.2f}" for x in ratios)
    return f"{each} (median {statistics.median(ratios):.2f})"


if __name__ == "__main__":
    main()
