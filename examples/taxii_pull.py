"""Pull the threat bulletins a partner system may read as STIX 2.1, from Oversight's TAXII 2.1
feed, with the standard client (`taxii2-client`), as a partner's MISP, OpenCTI or SIEM
connector does:

    OVERSIGHT_CLIENT_ID=cli_... OVERSIGHT_CLIENT_SECRET=ovs_... \\
    python examples/taxii_pull.py --base-url http://127.0.0.1:8000 --state taxii-state.json \\
        --out bundle.json

It discovers the API root, finds the "Threat bulletins" collection, and pages through its
objects with `as_pages` (`next` tokens), authenticating with HTTP Basic (the service
account's client id and secret, what TAXII clients send by default). The first run fetches
everything; each later run asks only for versions added after the last one it saw
(`added_after` = the `X-TAXII-Date-Added-Last` of the last page, kept in the state file), so
an edited bulletin arrives as a new version of its report and a withdrawn one as a revoked
version, and nothing is fetched twice. The objects go into one STIX bundle (`--out`, or
stdout); a one-line JSON summary goes to stderr. Exit 0 done, 1 failed, 2 usage.

Needs Python 3.11+ and `taxii2-client` (`pip install taxii2-client`).
"""

import argparse
import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any

import requests
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import Server, as_pages

COLLECTION_TITLE = "Threat bulletins"


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", default="http://127.0.0.1:8000")
    p.add_argument("--state", type=Path, help="JSON file keeping the last date_added seen")
    p.add_argument("--out", type=Path, help="write the STIX bundle here (default: stdout)")
    p.add_argument("--per-request", type=int, default=100, help="objects per page (max 1000)")
    return p.parse_args(argv)


class BasicNotingDateAdded(requests.auth.HTTPBasicAuth):
    """HTTP Basic that also keeps the last `X-TAXII-Date-Added-Last` the server sent."""

    def __init__(self, username: str, password: str) -> None:
        super().__init__(username, password)
        self.last_added: str | None = None

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.register_hook("response", self._note)
        return super().__call__(r)

    def _note(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if "X-TAXII-Date-Added-Last" in response.headers:
            self.last_added = response.headers["X-TAXII-Date-Added-Last"]


def pull(
    base_url: str, client_id: str, secret: str, added_after: str | None, per_request: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Every object added after `added_after` (all of them when None), and the
    `date_added` of the last one (the next run's `added_after`)."""
    auth = BasicNotingDateAdded(client_id, secret)
    server = Server(f"{base_url.rstrip('/')}/taxii2/", auth=auth)
    root = server.default or server.api_roots[0]
    collection = next(c for c in root.collections if c.title == COLLECTION_TITLE and c.can_read)
    filters = {"added_after": added_after} if added_after else {}
    objects: list[dict[str, Any]] = []
    for envelope in as_pages(collection.get_objects, per_request=per_request, **filters):
        objects.extend(envelope.get("objects", []))
    return objects, auth.last_added or added_after


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    client_id = os.environ.get("OVERSIGHT_CLIENT_ID")
    secret = os.environ.get("OVERSIGHT_CLIENT_SECRET")
    if not client_id or not secret:
        print("set OVERSIGHT_CLIENT_ID and OVERSIGHT_CLIENT_SECRET", file=sys.stderr)
        return 2
    state = json.loads(args.state.read_text()) if args.state and args.state.exists() else {}
    try:
        objects, added_after = pull(
            args.base_url, client_id, secret, state.get("added_after"), args.per_request
        )
    except (TAXIIServiceException, requests.RequestException, StopIteration) as exc:
        print(json.dumps({"ok": False, "error": str(exc)[:500]}), file=sys.stderr)
        return 1
    bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}
    text = json.dumps(bundle, indent=2)
    if args.out:
        args.out.write_text(text)
    else:
        print(text)
    if args.state:
        tmp = args.state.with_suffix(".tmp")
        tmp.write_text(json.dumps({"added_after": added_after}))
        tmp.replace(args.state)  # only after a complete run
    counts: dict[str, int] = {}
    for obj in objects:
        counts[obj["type"]] = counts.get(obj["type"], 0) + 1
    summary = {"ok": True, "objects": len(objects), "by_type": counts, "added_after": added_after}
    print(json.dumps(summary), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
