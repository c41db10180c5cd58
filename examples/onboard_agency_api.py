"""Onboard a member agency through the admin REST API (the same steps as onboard_agency.sh).

The admin creates the agency and its agency admin; the agency admin, logged in with the
password just set, creates the two members and the partner system (service account), as the
agency would day to day. Then the admin suspends the agency, checks that the agency admin's
token stops working, and reinstates it.

    OVERSIGHT_ADMIN_EMAIL=admin@example.org OVERSIGHT_ADMIN_PASSWORD=... \\
    python examples/onboard_agency_api.py --base-url http://127.0.0.1:8000 \\
        "Northshire Fire and Rescue" other fire.admin@example.org one@example.org two@example.org \\
        < passwords

Standard input: three passwords, one per line (agency admin, first member, second member).
Secrets never go in argv: the admin's password comes from the environment.

Every create sends an `Idempotency-Key` derived from what it creates, so running the script
again after a failure (say, a dropped connection) replays what was done instead of doing it
twice. State changes send `If-Match` with the version just read. Exit 0 done, 1 refused by the
service (the problem's detail is printed), 2 usage.
"""

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx

API = "/api/v1"
REPLAYED = "replayed"


class Refused(Exception):
    """The service answered with a problem (RFC 9457)."""


def check(r: httpx.Response, *expected: int) -> httpx.Response:
    if r.status_code not in expected:
        try:
            detail = r.json().get("detail") or r.json().get("title")
        except ValueError:
            detail = r.text[:200]
        raise Refused(f"{r.request.method} {r.request.url.path}: {r.status_code} {detail}")
    return r


def login(base_url: str, username: str, password: str) -> httpx.Client:
    """A client carrying a bearer token obtained with the password grant."""
    r = httpx.post(
        f"{base_url}{API}/auth/token",
        data={"grant_type": "password", "username": username, "password": password},
        timeout=30,
    )
    token = check(r, 200).json()["access_token"]
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def idempotency_key(*parts: str) -> str:
    """The same key for the same thing on every run (≤ 255 characters whatever the input)."""
    return "onboard-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def create(client: httpx.Client, path: str, body: dict[str, Any], key: str) -> dict[str, Any]:
    """POST that creates, safe to retry: the same key replays the first answer."""
    r = check(client.post(f"{API}{path}", json=body, headers={"Idempotency-Key": key}), 201)
    return {**r.json(), REPLAYED: r.headers.get("Idempotent-Replayed") == "true"}


def done(obj: dict[str, Any]) -> str:
    return "found (created by an earlier run)" if obj[REPLAYED] else "created"


def act(client: httpx.Client, path: str, version: int) -> dict[str, Any]:
    """POST a state change on the version we last read (412 if someone changed it since)."""
    return check(client.post(f"{API}{path}", headers={"If-Match": f'"{version}"'}), 200).json()


def onboard(args: argparse.Namespace, passwords: list[str]) -> dict[str, Any]:
    base = args.base_url.rstrip("/")
    progress = sys.stderr if args.json else sys.stdout  # stdout holds only the JSON summary

    def say(line: str) -> None:
        print(line, file=progress, flush=True)

    name_key = args.name.lower()
    admin_email, admin_password = os.environ["OVERSIGHT_ADMIN_EMAIL"], args.admin_password

    with login(base, admin_email, admin_password) as admin:
        agency = create(
            admin,
            "/agencies",
            {"name": args.name, "sector": args.sector},
            idempotency_key(name_key, "agency"),
        )
        say(f"{done(agency)} agency {agency['slug']} ({agency['id']})")
        boss = create(
            admin,
            "/users",
            {
                "email": args.admin_email,
                "display_name": args.admin_email.split("@")[0],
                "agency_id": agency["id"],
                "roles": ["agency_admin"],
                "password": passwords[0],
            },
            idempotency_key(name_key, "user", args.admin_email),
        )
        say(f"{done(boss)} agency admin {boss['email']} (roles {','.join(boss['roles'])})")

    # The agency admin does the rest inside its own agency (agency_id defaults to it).
    with login(base, args.admin_email, passwords[0]) as local:
        members = []
        for email, password in zip(args.members, passwords[1:], strict=True):
            body = {"email": email, "display_name": email.split("@")[0], "password": password}
            members.append(create(local, "/users", body, idempotency_key(name_key, "user", email)))
            say(f"{done(members[-1])} member {email} (roles {','.join(members[-1]['roles'])})")
        account = create(
            local,
            "/service-accounts",
            {
                "name": f"{args.name} partner system",
                "scopes": ["bulletins:read", "bulletins:write"],
            },
            idempotency_key(name_key, "service-account"),
        )
        credentials = save_credentials(local, account, args.credentials_dir, agency["slug"])
        say(f"{done(account)} service account {account['client_id']}; credentials in {credentials}")

        with login(base, admin_email, admin_password) as admin:
            current = check(admin.get(f"{API}/agencies/{agency['id']}"), 200)
            version = int(current.headers["ETag"].strip('"'))
            suspended = act(admin, f"/agencies/{agency['id']}/suspend", version)
            cut_off = local.get(f"{API}/me").status_code
            say(f"suspended agency {agency['slug']}: the agency admin's token now gets {cut_off}")
            if cut_off != 401:
                raise Refused(f"a suspended agency's token still answers {cut_off}")
            agency = act(admin, f"/agencies/{agency['id']}/reinstate", suspended["version"])
            say(f"reinstated agency {agency['slug']}: status {agency['status']}")

    with login(base, args.admin_email, passwords[0]) as local:
        check(local.get(f"{API}/me"), 200)
        say(f"{args.admin_email} can log in again")

    return {
        "agency": agency,
        "agency_admin": _public(boss),
        "members": [_public(m) for m in members],
        "service_account": _public(account),
        "credentials_file": str(credentials),
    }


def save_credentials(
    client: httpx.Client, account: dict[str, Any], directory: Path, slug: str
) -> Path:
    """Keep the client secret (shown once) in a file only this user can read.

    A replayed create carries no secret: keep the file of the first run, or rotate one.
    """
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / f"{slug}-partner-credentials.json"
    secret = account.get("client_secret")
    if secret is None:
        if path.exists():
            return path
        path_ = f"{API}/service-accounts/{account['id']}/rotate-secret"
        secret = act(client, path_, account["version"])["client_secret"]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        body = {"client_id": account["client_id"], "client_secret": secret}
        json.dump({**body, "scopes": account["scopes"]}, fh, indent=2)
    return path


def _public(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in {"password", "client_secret", REPLAYED}}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", default=os.environ.get("OVERSIGHT_URL", "http://127.0.0.1:8000"))
    p.add_argument(
        "--credentials-dir",
        type=Path,
        default=Path.home() / ".config" / "oversight",
        help="where the partner's client secret is kept (0600), outside any working tree",
    )
    p.add_argument(
        "--json", action="store_true", help="print a JSON summary on stdout (progress: stderr)"
    )
    p.add_argument("name")
    p.add_argument("sector")
    p.add_argument("admin_email")
    p.add_argument("members", nargs=2, metavar="member_email")
    args = p.parse_args(argv)
    if not os.environ.get("OVERSIGHT_ADMIN_EMAIL") or not os.environ.get(
        "OVERSIGHT_ADMIN_PASSWORD"
    ):
        p.error("set OVERSIGHT_ADMIN_EMAIL and OVERSIGHT_ADMIN_PASSWORD")
    args.admin_password = os.environ["OVERSIGHT_ADMIN_PASSWORD"]
    return args


def main() -> int:
    args = parse_args()
    passwords = [line.rstrip("\r\n") for line in sys.stdin.readlines()[:3]]
    if len(passwords) != 3 or not all(passwords):
        print("expected three passwords on standard input, one per line", file=sys.stderr)
        return 2
    try:
        summary = onboard(args, passwords)
    except (Refused, httpx.HTTPError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
