"""examples/webhook_receiver.py, run as a process: a delivery signed as the worker signs it
is printed once (a retry with the same webhook-id is not printed again); a tampered body, a
wrong secret or an old timestamp is refused with 401."""

import json
import os
import socket
import subprocess
import sys
import time

import httpx

from oversight.webhooks.service import new_secret
from oversight.webhooks.signing import sign
from tests.support.examples import EXAMPLES

SCRIPT = EXAMPLES / "webhook_receiver.py"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_receiver_verifies_deliveries():
    secret, port = new_secret(), _port()
    env = {**os.environ, "OVERSIGHT_WEBHOOK_SECRET": secret}
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        event = {
            "type": "bulletin.published",
            "timestamp": "2026-12-01T09:00:00.000000Z",
            "data": {"resource_type": "bulletin", "resource_id": "x", "version": 2, "url": "u"},
        }
        body = json.dumps(event).encode()

        def post(data: bytes, key: str = secret, at: int | None = None) -> int:
            """`data` sent with the signature of the genuine body."""
            ts = at or int(time.time())
            headers = {
                "webhook-id": "3f1c2b7e-0000-4000-8000-000000000001",
                "webhook-timestamp": str(ts),
                "webhook-signature": sign(key, "3f1c2b7e-0000-4000-8000-000000000001", ts, body),
                "content-type": "application/json",
            }
            return httpx.post(url, content=data, headers=headers, timeout=5).status_code

        assert post(body) == 204
        assert post(body) == 204  # a retry: acknowledged, not printed again
        assert post(body.replace(b"published", b"withdrawn")) == 401
        assert post(body, key=new_secret()) == 401
        assert post(body, at=int(time.time()) - 301) == 401
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == [{"webhook_id": "3f1c2b7e-0000-4000-8000-000000000001", **event}]
