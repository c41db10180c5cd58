"""A member's first page of 50 GREEN bulletins: ours, the floor of the stack, and medallion,
side by side in one run.

    .venv/bin/python bench/read_floor.py [--db sqlite|postgres|both] [--size 100000]
                                         [--duration 5] [--connections 32] [--rounds 3]
                                         [--workers 2]

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
The load average is printed before and after. Figures go in
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

PAGE = "/api/v1/bulletins?tlp=GREEN&limit=50"
FLOOR = "/floor/bulletins"
CASES = ("ours", "floor", "medallion")
TAXII = "application/taxii+json;version=2.1"


# ----------------------------------------------------------------------------- the floor


def floor_app() -> Any:
    """The floor of the stack: FastAPI, a JWT check, one select, JSON out."""
    from fastapi import FastAPI, Header, HTTPException
    from fastapi.responses import Response
    from jose import JWTError, jwt
    from sqlalchemy import and_, select

    from oversight.accounts.models import Agency, User
    from oversight.bulletins.models import Bulletin
    from oversight.config import get_settings
    from oversight.db import make_engine

    settings = get_settings()
    key, alg = settings.resolved_secret(), settings.jwt_algorithm
    engine = make_engine(settings.database_url)
    columns = [c for c in Bulletin.__table__.c if c.name not in {"search_vector", "names_agencies"}]
    stmt = (
        select(*columns, Agency.name, Agency.slug, User.display_name)
        .join(Agency, Agency.id == Bulletin.agency_id)
        .outerjoin(User, User.id == Bulletin.author_id)
        .where(and_(Bulletin.tlp == "GREEN", Bulletin.status != "draft"))
        .order_by(Bulletin.created_at.desc(), Bulletin.id.desc())
        .limit(50)
    )
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(FLOOR)
    def bulletins(authorization: str = Header()) -> Response:
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


def serve_floor(port: int) -> None:
    import uvicorn

    uvicorn.run(
        floor_app(),
        host="127.0.0.1",
        port=port,
        workers=1,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
    )


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
        world, seconds = bench.seed(engine, args.size)
        engine.dispose()
        print(f"[{kind}] seeded {args.size:,} bulletins in {seconds:.0f} s", flush=True)
        oversight = str(Path(sys.executable).with_name("oversight"))
        ours = Server([oversight, "serve", "--port", "{port}"], db.url, tmp)
        floor = medallion = several = None
        try:
            floor = Server([sys.executable, __file__, "--serve-floor", "{port}"], db.url, tmp)
            if args.workers > 1:
                argv = [oversight, "serve", "--port", "{port}", "--workers", str(args.workers)]
                several = Server(argv, db.url, tmp)
            with httpx.Client(base_url=ours.base, timeout=60) as api:
                token = bench.login(api, world.broad_email)
            with httpx.Client(timeout=60) as http:
                auth = f"Authorization: Bearer {token}"
                h = {"Authorization": f"Bearer {token}"}
                page = http.get(ours.base + PAGE, headers=h)
                page.raise_for_status()
                items = page.json()["items"]
                bare = http.get(floor.base + FLOOR, headers=h)
                bare.raise_for_status()
                if [i["id"] for i in bare.json()["items"]] != [i["id"] for i in items]:
                    raise SystemExit("the floor does not serve the rows of our page")
                if len(items) != 50 or any(i["tlp"] != "GREEN" for i in items):
                    raise SystemExit("our page is not 50 GREEN bulletins")
                if set(bare.json()["items"][0]) != set(items[0]):
                    print(f"  fields differ: {set(bare.json()['items'][0]) ^ set(items[0])}")
                objects, manifest = reports(items)
                medallion = Medallion(objects, manifest, tmp)
                mpath = f"{MEDALLION_OBJECTS}?limit=50"
                theirs = http.get(
                    medallion.base + mpath,
                    headers={"Authorization": medallion.auth.split(": ", 1)[1], "Accept": TAXII},
                )
                theirs.raise_for_status()
                if len(theirs.json()["objects"]) != 50:
                    raise SystemExit("medallion does not serve the 50 reports")
                cases = {
                    "ours": (ours.base, PAGE, [auth], len(page.content)),
                    **(
                        {}
                        if several is None
                        else {"workers": (several.base, PAGE, [auth], len(page.content))}
                    ),
                    "floor": (floor.base, FLOOR, [auth], len(bare.content)),
                    "medallion": (
                        medallion.base,
                        mpath,
                        [medallion.auth, f"Accept: {TAXII}"],
                        len(theirs.content),
                    ),
                }
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
    p.add_argument("--size", type=int, default=100_000, help="bulletins in the table")
    p.add_argument("--duration", type=float, default=5.0, help="seconds of load per run")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--rounds", type=int, default=3, help="runs of each case, in turn")
    p.add_argument(
        "--workers", type=int, default=1, help="also ours with this many worker processes"
    )
    p.add_argument("--serve-floor", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve_floor:
        serve_floor(args.serve_floor)
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
        f"\n| db | case | bytes | req/s (median of {args.rounds}) | req/s (each run) | p50 ms |\n"
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
        ours, floor, medallion = (r[n]["rps"] for n in CASES)
        print(
            f"[{r['db']}] ours / floor {ours / floor:.2f} (goal >= 0.7), "
            f"ours / medallion {ours / medallion:.1f} (goal >= 3)"
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
