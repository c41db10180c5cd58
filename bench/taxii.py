"""The TAXII objects page against the REST list of the same bulletins, under load.

    .venv/bin/python bench/taxii.py [--bulletins 50] [--db sqlite|postgres|both]
                                    [--duration 5] [--connections 8]

For each database: a fresh database (SQLite file in a temp dir; PostgreSQL database on
OVERSIGHT_BENCH_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres,
dropped afterwards) migrated by the project's migrations; one agency, an editor and a partner
system; `--bulletins` GREEN bulletins with five indicators each, created and published through
the bulletins service (so the collection's versions are built as in production). Then the
real app (`oversight serve`, one worker) under wrk, as the partner system (a client-credentials
token): `GET /api/v1/bulletins?limit=<bulletins>` (at most 200) and the TAXII objects page
that holds those bulletins' objects (reports, indicators, the identity and the markings:
`limit` = every object of the collection). Figures go in docs/architecture.md ("TAXII feed").
"""

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import httpx
from loadgen import Server, ensure_wrk, run_wrk
from sqlalchemy import text
from sqlalchemy.engine import make_url

from oversight.auth.passwords import new_secret, secret_digest
from oversight.auth.principal import Principal
from oversight.db import make_engine, make_sessionmaker, migrations, unit_of_work
from oversight.taxii.service import COLLECTION_ID

PG_URL = os.environ.get(
    "OVERSIGHT_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
OBJECTS = f"/taxii2/oversight/collections/{COLLECTION_ID}/objects/"
TAXII = "application/taxii+json;version=2.1"


def _database(kind: str, tmp: Path) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'taxii-bench.db'}", None
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
    from oversight.agencies.models import Agency
    from oversight.audit import recorder
    from oversight.bulletins import service
    from oversight.bulletins.schemas import BulletinCreate
    from oversight.service_accounts.models import ServiceAccount
    from oversight.users.models import User

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


def measure(kind: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    url, made = _database(kind, tmp)
    try:
        client_id, secret = seed(url, args.bulletins)
        oversight = str(Path(sys.executable).with_name("oversight"))
        server = Server([oversight, "serve", "--port", "{port}"], url, tmp)
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
                n = len(everything["objects"])
                cases = {
                    "REST list": f"/api/v1/bulletins?limit={min(args.bulletins, 200)}",
                    "TAXII objects": f"{OBJECTS}?limit={n}",
                }
                sizes = {
                    name: len(http.get(path, headers=h).content) for name, path in cases.items()
                }
                out: dict[str, Any] = {"db": kind, "objects": n}
                for name, path in cases.items():
                    lua = f'request = function() return wrk.format("GET", "{path}") end\n'
                    result = run_wrk(
                        server.base,
                        lua,
                        args.duration,
                        args.connections,
                        tmp,
                        headers=[auth, f"Accept: {TAXII}"],
                        name=f"{kind}-{name}",
                    )
                    out[name] = result | {"bytes": sizes[name]}
                return out
        finally:
            server.stop()
    finally:
        _drop(made)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bulletins", type=int, default=50)
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--duration", type=float, default=5.0, help="seconds of load per case")
    p.add_argument("--connections", type=int, default=8)
    args = p.parse_args()
    ensure_wrk()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print("| db | case | objects | bytes | req/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for kind in kinds:
        with tempfile.TemporaryDirectory() as tmp:
            r = measure(kind, args, Path(tmp))
        for name in ("REST list", "TAXII objects"):
            c = r[name]
            count = args.bulletins if name == "REST list" else r["objects"]
            print(
                f"| {kind} | {name} | {count} | {c['bytes']:,} | {c['rps']:.0f} | "
                f"{c['p50']:.1f} | {c['p99']:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
