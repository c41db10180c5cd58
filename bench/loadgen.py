"""What the benchmarks share: a server on 127.0.0.1 in its own process, and wrk driving it.

Each benchmark builds its own database and requests; this module starts the app (any
command that serves on the given port), waits for `/healthz`, and runs wrk with a Lua
`request` function, reading wrk's summary back as JSON.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

SECRET = "bench-secret-" + "x" * 40

# Appended to every wrk script: the summary as one JSON line, with errors kept apart.
DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"non2xx": %d, "errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def server_env(url: str, tmp: Path) -> dict[str, str]:
    return os.environ | {
        "OVERSIGHT_DATABASE_URL": url,
        "OVERSIGHT_SECRET_KEY": SECRET,
        "OVERSIGHT_ACCESS_TOKEN_MINUTES": "600",
        "OVERSIGHT_LOG_LEVEL": "WARNING",
        "OVERSIGHT_VAR_DIR": str(tmp),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`argv` (with `{port}` in it) serving the app for `url`; ready once `/healthz` is 200."""

    def __init__(self, argv: Sequence[str], url: str, tmp: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [a.replace("{port}", str(self.port)) for a in argv], env=server_env(url, tmp)
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode}")
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise SystemExit("the server did not start")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("wrk is missing: installing it from Debian's packages", flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)


def run_wrk(
    base: str,
    request_lua: str,
    seconds: float,
    connections: int,
    tmp: Path,
    headers: Sequence[str] = (),
    name: str = "load",
) -> dict[str, float]:
    """wrk with one thread and `connections` connections; requests/s, latency in ms.

    Every response must be 2xx: a benchmark that counts errors as work measures nothing.
    """
    script = tmp / (re.sub(r"\W+", "-", name) + ".lua")
    script.write_text(request_lua + DONE_LUA)
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s"]
    for h in headers:
        argv += ["-H", h]
    out = subprocess.run(
        [*argv, "-s", str(script), base], capture_output=True, text=True, check=True
    ).stdout
    m = re.search(r"^RESULT (.*)$", out, re.M)
    if not m:
        raise SystemExit(f"wrk said:\n{out}")
    r = json.loads(m.group(1))
    if r["non2xx"] or r["errors"]:
        raise SystemExit(f"{name}: {r['non2xx']} non-2xx, {r['errors']} errors")
    return {
        "requests": r["requests"],
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "p50": r["p50"] / 1000,
        "p95": r["p95"] / 1000,
        "p99": r["p99"] / 1000,
    }
