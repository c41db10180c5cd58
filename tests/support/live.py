"""A live `oversight serve` on 127.0.0.1, on a fresh database: for tests that drive the
service as its users do (a browser, a shell script, a partner system over HTTP)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.databases import TEST_SECRET, Databases

LOCAL_HOST = "127.0.0.1"
READY_SECONDS = 60


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    env: dict[str, str]
    home: Path

    @property
    def log(self) -> Path:
        return self.home / "serve.log"


def oversight_command() -> list[str]:
    """The `oversight` command of the interpreter running the tests."""
    script = Path(sys.executable).with_name("oversight")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from oversight.cli import main; main()"]


def server_env(databases: Databases, home: Path) -> dict[str, str]:
    """Settings for commands and a server on a fresh database, with test-sized hashing."""
    return {
        **os.environ,
        "OVERSIGHT_DATABASE_URL": databases.new_url(),
        "OVERSIGHT_SECRET_KEY": TEST_SECRET,
        "OVERSIGHT_VAR_DIR": str(home),
        "OVERSIGHT_LOG_LEVEL": "WARNING",
        "OVERSIGHT_ARGON2_MEMORY_KIB": "1024",
        "OVERSIGHT_ARGON2_TIME_COST": "1",
    }


def run_oversight(env: dict[str, str], home: Path, *args: str) -> str:
    """Runs one `oversight` command to completion; fails the test when it fails."""
    done = subprocess.run(
        [*oversight_command(), *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"oversight {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


def _wait_ready(server: LiveServer, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"oversight serve exited early:\n{server.log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(
        f"oversight serve was not ready within {READY_SECONDS} s:\n{server.log.read_text()[-3000:]}"
    )


@contextmanager
def serving(env: dict[str, str], home: Path, *options: str) -> Iterator[LiveServer]:
    """`oversight serve` (with these options) on a free port of 127.0.0.1 until the block
    ends."""
    port = _free_port()
    server = LiveServer(base_url=f"http://{LOCAL_HOST}:{port}", env=env, home=home)
    with server.log.open("wb") as out:
        proc = subprocess.Popen(
            [*oversight_command(), "serve", "--host", LOCAL_HOST, "--port", str(port), *options],
            env=env,
            cwd=home,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(server, proc)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
