"""`oversight serve --no-migrate`: on several hosts the schema is a release step, run once;
a server started before it serves nothing (503 on /readyz) and changes nothing."""

import socket
import subprocess
import time

import httpx

from tests.support.examples import command_env
from tests.support.live import LOCAL_HOST, oversight_command, run_oversight, server_env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


def test_a_server_told_not_to_migrate_waits_for_the_schema_step(databases, tmp_path):
    env = command_env(server_env(databases, tmp_path))
    port = _free_port()
    base = f"http://{LOCAL_HOST}:{port}"
    with (tmp_path / "serve.log").open("wb") as log:
        proc = subprocess.Popen(
            [*oversight_command(), "serve", "--no-migrate", "--host", LOCAL_HOST, "--port",
             str(port)],
            env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                alive = httpx.get(base + "/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert alive.status_code == 200
        before = httpx.get(base + "/readyz", timeout=10)
        assert before.status_code == 503, before.text
        assert "latest migration" in before.json()["detail"]
        run_oversight(env, tmp_path, "db", "upgrade")  # the release step, run once
        after = httpx.get(base + "/readyz", timeout=10)
        assert after.status_code == 200, after.text
    finally:
        proc.terminate()
        proc.wait(timeout=15)
