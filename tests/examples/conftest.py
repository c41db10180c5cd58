"""`admin_server`: a live `oversight serve` on 127.0.0.1 (a free port) on a fresh database with
a bootstrapped admin, shared by the tests of one module."""

from collections.abc import Iterator

import pytest

from tests.support.databases import Databases
from tests.support.examples import AdminServer, bootstrap, command_env
from tests.support.live import server_env, serving


@pytest.fixture(scope="module")
def admin_server(
    databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AdminServer]:
    home = tmp_path_factory.mktemp("live")
    env = command_env(server_env(databases, home))
    admin = bootstrap(env, home)
    with serving(env, home) as server:
        yield AdminServer(server=server, env=env, home=home, admin=admin)
