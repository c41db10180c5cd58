"""`st run --checks all`, schemathesis's command line, against a live `oversight serve` with
the demo set, as a partner would run it: over HTTP, logged in with the password grant as one
of the demo people, every phase (examples, coverage, fuzzing, stateful links).

The run is told what the in-process tests are told (`api_schema.CONFIG`, with the checks of
`schemathesis_hooks` in place of the two built-in ones they narrow), and logs in as
`schemathesis_live_hooks` does: a token from `POST /api/v1/auth/token`, fetched again
whenever an answer is 401 (a logout in the run ends the token it was sent with).
"""

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from oversight.auth.scopes import Role
from oversight.demo.identity import PASSWORDS, USERS
from tests.support.api_schema import CONFIG

REPO = Path(__file__).resolve().parents[2]
ROLES = ("member", "editor", "admin")  # the admin last: it may disable the others
MAX_EXAMPLES = 5
WORKERS = 2
RUN_SECONDS = 600

AUTH = """
[auth]
auto-signup = false
"""

# The login throttles (contract §3, tested in tests/auth) would lock the run's own logins out
# once its fuzzing of the token endpoint has spent them; the live server is given room.
SERVER_ENV = {
    "OVERSIGHT_LOCKOUT_THRESHOLD": "1000000",
    "OVERSIGHT_TOKEN_REQUESTS_PER_MINUTE": "1000000",
    "OVERSIGHT_CLIENT_FAILURES_PER_WINDOW": "1000000",
}


def demo_login(role: str) -> tuple[str, str]:
    """The first demo person of the role: email and password."""
    email = next(e for e, _, _, r in USERS if r == Role(role))
    return email, PASSWORDS[Role(role)]


@dataclass(frozen=True)
class Outcome:
    role: str
    operations: int
    failures: list[str]
    errors: list[str]
    exit_code: int
    seconds: float
    output: str

    def summary(self) -> str:
        return (
            f"{self.role}: {self.operations} operations, {len(self.failures)} failed, "
            f"{len(self.errors)} errors, exit {self.exit_code}, {self.seconds:.0f} s"
        )


def _read_junit(path: Path) -> tuple[int, list[str], list[str]]:
    """Operations tested, and for each that failed or met an error its name and what."""
    if not path.exists():
        return 0, [], []
    operations, failures, errors = 0, [], []
    for case in ET.parse(path).getroot().iter("testcase"):
        operations += 1
        for kind, found in (("failure", failures), ("error", errors)):
            for problem in case.findall(kind):
                what = (problem.get("message") or "") + "\n" + (problem.text or "")
                found.append(f"{case.get('name', '?')}: {what.strip()[:1500]}")
    return operations, failures, errors


def run(
    base_url: str,
    role: str,
    workdir: Path,
    *,
    max_examples: int = MAX_EXAMPLES,
    phases: str = "examples,coverage,fuzzing,stateful",
    workers: int = WORKERS,
    seed: int | None = None,
) -> Outcome:
    """One `st run --checks all` as the role's demo person; its result read from JUnit."""
    email, password = demo_login(role)
    config = workdir / "schemathesis.toml"
    config.write_text(AUTH + CONFIG)
    junit = workdir / f"junit-{role}.xml"
    command = [
        str(Path(sys.executable).with_name("st")),
        "--config-file",
        str(config),
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance,ignored_auth",  # run as narrowed in schemathesis_hooks
        "--max-examples",
        str(max_examples),
        "--phases",
        phases,
        "--workers",
        str(workers),
        *(["--seed", str(seed)] if seed is not None else []),
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(junit),
    ]
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SCHEMATHESIS_HOOKS": "tests.support.schemathesis_live_hooks",
        "OVERSIGHT_LIVE_EMAIL": email,
        "OVERSIGHT_LIVE_PASSWORD": password,
    }
    started = time.monotonic()
    done = subprocess.run(
        command,
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    operations, failures, errors = _read_junit(junit)
    return Outcome(
        role=role,
        operations=operations,
        failures=failures,
        errors=errors,
        exit_code=done.returncode,
        seconds=time.monotonic() - started,
        output=done.stdout + done.stderr,
    )
