"""Instructions a member's list page costs the serving process, counted rather than timed.

    .venv/bin/python bench/page_instructions.py [--db sqlite|postgres|both]
                                                [--list actions|reports|meetings|bulletins]
                                                [--size 5000] [--pages 100]

Wall-clock rates on a shared machine drift by a fifth between runs minutes apart, which hides
a change of a few per cent. This counts the CPU instructions of the app's own process
instead (valgrind's callgrind, which runs it about fifty times slower): the real app
(`create_app`), called in-process through ASGI as uvicorn calls it (no sockets, no HTTP
parsing), for the first page of 50 of the list, for the broadly cleared member of the world
`bench/read_floor.py --list` seeds. The process is counted twice, for 20 pages and for
20 + `--pages` pages; the difference over `--pages` is the instructions of one page, with
start-up, imports and warm-up taken out. The database server's own work is not counted.
Run to run, the count varies by about 1.5 % (hash seeds, garbage collection), so a change
shows when it is larger than that. Installs valgrind from Debian's packages if it is missing.
"""

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WARM = 20


def serve_pages(url: str, token: str, path: str, pages: int) -> None:
    """The counted process: the app, and `WARM + pages` first pages through ASGI."""
    os.environ["OVERSIGHT_DATABASE_URL"] = url
    from loadgen import server_env

    os.environ.update(server_env(url, Path(tempfile.gettempdir())))
    from oversight.main import create_app

    app = create_app()
    route, _, query = path.partition("?")

    async def page() -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": route,
            "raw_path": route.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {token}".encode())],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent: list[dict[str, object]] = []

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        if sent[0]["status"] != 200:
            raise SystemExit(f"the page answered {sent[0]['status']}")

    async def run() -> None:
        async with app.router.lifespan_context(app):
            for _ in range(WARM + pages):
                await page()

    asyncio.run(run())


def counted(url: str, token: str, path: str, pages: int) -> int:
    argv = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--child",
        str(pages),
        "--url",
        url,
        "--token",
        token,
        "--path",
        path,
    ]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"the counted run failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def measure(kind: str, args: argparse.Namespace, tmp: Path) -> int:
    import httpx
    import read_floor
    from loadgen import Server

    import bulletins as bench
    from oversight.db import make_engine, migrations

    db = bench.Database(kind, tmp)
    try:
        engine = make_engine(db.url)
        migrations.upgrade(engine)
        if args.list == "bulletins":
            world, _ = bench.seed(engine, args.size)
        else:
            world, _ = bench.seed(engine, 100)
            read_floor.seed_list(engine, world, args.list, args.size)
        engine.dispose()
        oversight = str(Path(sys.executable).with_name("oversight"))
        server = Server([oversight, "serve", "--port", "{port}"], db.url, tmp)
        try:
            with httpx.Client(base_url=server.base, timeout=60) as api:
                token = bench.login(api, world.broad_email)
        finally:
            server.stop()
        path = read_floor.PAGES[args.list]
        few = counted(db.url, token, path, 0)
        many = counted(db.url, token, path, args.pages)
        return (many - few) // args.pages
    finally:
        db.drop()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--list", choices=["actions", "reports", "meetings", "bulletins"])
    p.add_argument("--size", type=int, default=5000, help="items in the list's table")
    p.add_argument("--pages", type=int, default=100, help="pages counted")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    p.add_argument("--url", help=argparse.SUPPRESS)
    p.add_argument("--token", help=argparse.SUPPRESS)
    p.add_argument("--path", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child is not None:
        serve_pages(args.url, args.token, args.path, args.child)
        return
    if shutil.which("valgrind") is None:
        print("valgrind is missing: installing it from Debian's packages", flush=True)
        subprocess.run(["apt-get", "install", "-y", "valgrind"], check=True)
    args.list = args.list or "actions"
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory(prefix="oversight-instructions-") as tmp:
        for kind in kinds:
            per_page = measure(kind, args, Path(tmp))
            print(f"[{kind}] {args.list}: {per_page:,} instructions a page", flush=True)


if __name__ == "__main__":
    main()
