"""Schemathesis's command line, `st run --checks all`, over HTTP against a live
`oversight serve` holding the demo set, as the demo admin, an editor and a member (each logged
in with the password grant): every phase, every check, no failure and no error.

The in-process tests (`test_schemathesis.py`, `test_schemathesis_links.py`) go deeper per
operation; this one is what a partner sees running the tool against a real server: real
items found by the stateful links and reused, real `ETag`s, a real token that logs itself
out, the server's own middleware and worker. The roles share one server, the admin last.

About a minute per role on two CPUs (`tests/support/schemathesis_live.py` sets the budget),
so it is left out of the default run: `make schemathesis` runs it, on the database that
OVERSIGHT_TEST_DATABASE_URL names as the rest of the suite does. The default run has a short
one (`test_schemathesis_live_short.py`).
"""

from collections.abc import Iterator

import pytest

from tests.support import schemathesis_live
from tests.support.live import LiveServer, run_oversight, server_env, serving

pytestmark = pytest.mark.long_live


@pytest.fixture(scope="module")
def demo_server(databases, tmp_path_factory) -> Iterator[LiveServer]:
    home = tmp_path_factory.mktemp("schemathesis-live")
    env = server_env(databases, home) | schemathesis_live.SERVER_ENV
    run_oversight(env, home, "demo")
    with serving(env, home) as server:
        yield server


@pytest.mark.parametrize("role", schemathesis_live.ROLES)
def test_st_run_checks_all_finds_nothing(demo_server, tmp_path, role):
    outcome = schemathesis_live.run(demo_server.base_url, role, tmp_path)
    print(outcome.summary())
    problems = "\n\n".join(outcome.failures + outcome.errors)
    assert outcome.operations >= 80, f"{outcome.summary()}\n{outcome.output[-6000:]}"
    assert not problems, f"{outcome.summary()}\n{problems}"
    assert outcome.exit_code == 0, f"{outcome.summary()}\n{outcome.output[-6000:]}"
