"""`oversight serve --workers N` spreads a client's connections over its workers: each worker
listens on a socket of its own (SO_REUSEPORT), so no worker takes a burst of keep-alive
connections alone while the others idle (docs/architecture.md, "The read path at the
limit")."""

import http.client
import os
import subprocess
from collections import Counter
from urllib.parse import urlsplit

from tests.support.live import LOCAL_HOST, oversight_command, server_env, serving

CONNECTIONS = 32


def _server_side_connections(port: int) -> Counter[int]:
    """Established TCP connections whose local port is `port`, by the process holding them."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                f = row.split()
                if f[3] == "01" and int(f[1].rsplit(":", 1)[1], 16) == port:  # ESTABLISHED
                    inodes.add(f[9])
    held: Counter[int] = Counter()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:  # gone meanwhile, or not ours to read
            continue
        held[int(pid)] += sum(link[8:-1] in inodes for link in links if link.startswith("socket:["))
    return +held


def test_keep_alive_connections_land_on_every_worker(databases, tmp_path):
    with serving(server_env(databases, tmp_path), tmp_path, "--workers", "2") as server:
        address = urlsplit(server.base_url)
        clients = [
            http.client.HTTPConnection(address.hostname, address.port, timeout=30)
            for _ in range(CONNECTIONS)
        ]
        try:
            for client in clients:  # opened together, as a load generator or a proxy does
                client.connect()
            for client in clients:
                client.request("GET", "/healthz")
                answer = client.getresponse()
                assert answer.status == 200
                answer.read()
            held = _server_side_connections(address.port)
        finally:
            for client in clients:
                client.close()
    assert sum(held.values()) == CONNECTIONS, held
    # Two workers, each with a share: the kernel hashes each connection to a socket, so one
    # with fewer than 4 of 32 happens about once in 400,000 runs.
    assert len(held) == 2, held
    assert min(held.values()) >= 4, held


def test_a_second_server_on_the_same_port_is_refused(databases, tmp_path):
    """Workers share their port with each other only: a second server started on it (an old
    release left running, a typo in a unit file) must not quietly take half the connections."""
    env = server_env(databases, tmp_path)
    with serving(env, tmp_path, "--workers", "2") as server:
        port = str(urlsplit(server.base_url).port)
        second = subprocess.run(
            [*oversight_command(), "serve", "--host", LOCAL_HOST, "--port", port, "--workers", "2"],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert second.returncode == 1, second.stderr
    assert f"cannot listen on {LOCAL_HOST}:{port}" in second.stderr
