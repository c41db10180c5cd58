"""A partner system's client for Oversight: keep a local copy of the threat bulletins it may
read, and publish its own, over OAuth2 client credentials.

Sync (the default) fetches the bulletins created or changed since the last run:

    OVERSIGHT_CLIENT_ID=cli_... OVERSIGHT_CLIENT_SECRET=ovs_... \\
    python examples/partner_sync.py --base-url http://127.0.0.1:8000 --state sync-state.json \\
        --out bulletins/

It asks for `updated_after` = the newest `updated_at` it has seen (less a small overlap, for
changes committed while the last run was paging), follows `next_cursor` to the last page, and
reports only what it has not seen at that `updated_at` before. The state file is small JSON:
`{"updated_after": "<newest updated_at seen>", "seen": {"<id>": "<updated_at>", ...}}` (the
ids inside the overlap window). It is replaced atomically, and only after a complete run.

Publish creates a draft from a JSON file (a `POST /bulletins` body) and publishes it:

    python examples/partner_sync.py --publish examples/bulletin.json

The create carries an `Idempotency-Key` (by default the SHA-256 of the file's content), so
running the same publish again, after a timeout say, finds the bulletin it made instead of
making a second one; the publish carries `If-Match` with the version just read.

Every request is retried on 429 and 503, waiting as `Retry-After` says (bounded by
--max-attempts and --max-wait), and on a dropped connection; a 401 (expired or revoked token)
gets a new token once. Client secret from the environment only, never argv. Prints one JSON
object on stdout. Exit 0 done, 1 failed, 2 usage.
"""

import argparse
import contextlib
import hashlib
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

API = "/api/v1"
RETRY_STATUSES = {429, 503}


class Failed(Exception):
    """The service refused, or kept answering 429/503 past the attempts allowed."""


class Client:
    """HTTP with a client-credentials token, renewed on 401, and polite retries."""

    def __init__(self, args: argparse.Namespace, client_id: str, client_secret: str) -> None:
        self.http = httpx.Client(base_url=args.base_url.rstrip("/"), timeout=args.timeout)
        self.credentials = {"client_id": client_id, "client_secret": client_secret}
        self.max_attempts, self.max_wait = args.max_attempts, args.max_wait
        self.token: str | None = None

    def close(self) -> None:
        self.http.close()

    def _send(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """One logical request: retried on 429/503 and connection errors, never past bounds."""
        for attempt in range(1, self.max_attempts + 1):
            try:
                r = self.http.request(method, path, **kw)
            except httpx.TransportError as exc:
                if attempt == self.max_attempts:
                    raise Failed(f"{method} {path}: {exc!r}") from exc
                time.sleep(min(2 ** (attempt - 1), self.max_wait))
                continue
            if r.status_code not in RETRY_STATUSES:
                return r
            if attempt == self.max_attempts:
                raise Failed(f"{method} {path}: still {r.status_code} after {attempt} attempts")
            time.sleep(self._delay(r, attempt))
        raise AssertionError("unreachable")

    def _delay(self, r: httpx.Response, attempt: int) -> float:
        """Seconds to wait: `Retry-After` (seconds or an HTTP date), else exponential."""
        value = r.headers.get("Retry-After", "").strip()
        delay = float(2 ** (attempt - 1))
        if value.isdigit():
            delay = float(value)
        elif value:
            with contextlib.suppress(TypeError, ValueError):
                delay = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
        return max(0.0, min(delay, self.max_wait))

    def authenticate(self) -> None:
        data = {"grant_type": "client_credentials", **self.credentials}
        r = self._send("POST", f"{API}/auth/token", data=data)
        if r.status_code != 200:
            raise Failed(f"cannot get a token: {r.status_code} {_detail(r)}")
        self.token = r.json()["access_token"]

    def request(self, method: str, path: str, *expected: int, **kw: Any) -> httpx.Response:
        """An API call with the bearer token; a 401 gets one new token and one more try."""
        extra = kw.pop("headers", {})
        for renewed in (False, True):
            if self.token is None:
                self.authenticate()
            headers = {**extra, "Authorization": f"Bearer {self.token}"}
            r = self._send(method, path, headers=headers, **kw)
            if r.status_code == 401 and not renewed:
                self.token = None
                continue
            if r.status_code not in expected:
                raise Failed(f"{method} {path}: {r.status_code} {_detail(r)}")
            return r
        raise AssertionError("unreachable")


def _detail(r: httpx.Response) -> str:
    """The problem's detail, and for a 422 each field's reason: what to fix, and where."""
    try:
        body = r.json()
    except ValueError:
        return r.text[:200]
    detail = str(body.get("detail") or body.get("title") or body.get("error") or "")
    reasons = [
        f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or 'body'}: {e.get('msg', '')}"
        for e in body.get("errors") or []
    ]
    return "; ".join([detail, *reasons]) if reasons else detail


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def load_state(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"updated_after": None, "seen": {}}
    return json.loads(path.read_text())


def save_state(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)  # a crash mid-write never leaves half a state file


def sync(client: Client, args: argparse.Namespace) -> dict[str, Any]:
    state = load_state(args.state)
    mark = _when(state["updated_after"]) if state["updated_after"] else None
    seen: dict[str, str] = state["seen"]
    params: dict[str, Any] = {"limit": args.page_size}
    if mark is not None:
        params["updated_after"] = _rfc3339(mark - timedelta(seconds=args.overlap))

    changed, received, pages = [], 0, 0
    cursor: str | None = None
    while True:
        page = client.request("GET", f"{API}/bulletins", 200, params=params | _cursor(cursor))
        body = page.json()
        pages += 1
        for item in body["items"]:
            received += 1
            moment = _when(item["updated_at"])
            if seen.get(item["id"]) is not None and _when(seen[item["id"]]) == moment:
                continue  # inside the overlap, already had it
            seen[item["id"]] = item["updated_at"]
            changed.append(item)
            mark = moment if mark is None or moment > mark else mark
            if args.out is not None:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"{item['id']}.json").write_text(json.dumps(item, indent=2) + "\n")
        cursor = body.get("next_cursor")
        if not cursor:
            break

    if mark is not None:
        horizon = mark - timedelta(seconds=args.overlap)
        seen = {i: at for i, at in seen.items() if _when(at) >= horizon}
    save_state(args.state, {"updated_after": mark and _rfc3339(mark), "seen": seen})
    return {
        "changed": [
            {k: item[k] for k in ("id", "title", "status", "version", "updated_at")}
            for item in changed
        ],
        "received": received,
        "pages": pages,
        "updated_after": mark and _rfc3339(mark),
    }


def _cursor(cursor: str | None) -> dict[str, str]:
    return {"cursor": cursor} if cursor else {}


def publish(client: Client, args: argparse.Namespace) -> dict[str, Any]:
    raw = args.publish.read_bytes()
    try:
        draft = json.loads(raw)
    except ValueError as exc:
        raise Failed(f"{args.publish} is not JSON: {exc}") from exc
    key = args.idempotency_key or "publish-" + hashlib.sha256(raw).hexdigest()
    created = client.request(
        "POST", f"{API}/bulletins", 201, json=draft, headers={"Idempotency-Key": key}
    )
    replayed = created.headers.get("Idempotent-Replayed") == "true"
    bulletin_id = created.json()["id"]
    for _ in range(args.max_attempts):
        current = client.request("GET", f"{API}/bulletins/{bulletin_id}", 200)
        bulletin = current.json()
        if bulletin["status"] != "draft":
            break  # published by an earlier run (or by an editor): nothing to do
        r = client.request(
            "POST",
            f"{API}/bulletins/{bulletin_id}/publish",
            200,
            412,
            headers={"If-Match": current.headers["ETag"]},
        )
        if r.status_code == 200:
            bulletin = r.json()
            break
        # 412: someone changed the draft between our read and our publish; read again.
    else:
        raise Failed(f"bulletin {bulletin_id} kept changing; not published")
    return {
        "id": bulletin["id"],
        "status": bulletin["status"],
        "version": bulletin["version"],
        "idempotency_key": key,
        "replayed": replayed,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", default=os.environ.get("OVERSIGHT_URL", "http://127.0.0.1:8000"))
    p.add_argument("--state", type=Path, default=Path("partner-sync-state.json"))
    p.add_argument("--out", type=Path, help="write each new or changed bulletin here as JSON")
    p.add_argument("--page-size", type=int, default=100, choices=range(1, 201), metavar="1-200")
    p.add_argument("--overlap", type=float, default=60.0, help="seconds re-read (default 60)")
    p.add_argument("--publish", type=Path, metavar="FILE.json", help="publish this bulletin")
    p.add_argument("--idempotency-key", help="default: SHA-256 of the --publish file")
    p.add_argument("--max-attempts", type=int, default=5, help="per request (default 5)")
    p.add_argument("--max-wait", type=float, default=60.0, help="longest wait, in seconds")
    p.add_argument("--timeout", type=float, default=30.0, help="per request, in seconds")
    args = p.parse_args(argv)
    if args.max_attempts < 1 or args.overlap < 0 or args.max_wait < 0:
        p.error("--max-attempts must be ≥ 1; --overlap and --max-wait ≥ 0")
    if args.idempotency_key is not None and not 1 <= len(args.idempotency_key) <= 255:
        p.error("--idempotency-key must be 1 to 255 characters")
    if not os.environ.get("OVERSIGHT_CLIENT_ID") or not os.environ.get("OVERSIGHT_CLIENT_SECRET"):
        p.error("set OVERSIGHT_CLIENT_ID and OVERSIGHT_CLIENT_SECRET")
    return args


def main() -> int:
    args = parse_args()
    client = Client(args, os.environ["OVERSIGHT_CLIENT_ID"], os.environ["OVERSIGHT_CLIENT_SECRET"])
    try:
        result = publish(client, args) if args.publish else sync(client, args)
    except (Failed, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        client.close()
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
