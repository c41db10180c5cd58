"""A short `st run --checks all` over HTTP against a live `oversight serve` holding the demo
set, as the demo admin, an editor and a member, in the default run on either database: every
operation and every check, a budget of a few cases per operation. `test_schemathesis_live.py`
(`make schemathesis`) is the long run of the same, every phase with more cases.

The phases here are the examples the document gives and one fuzzed case per operation, and
for the editor (who creates most) schemathesis's stateful links too, which reach the item
operations with real ids; the coverage phase (every boundary of every parameter) is left to
the long run and, operation by operation in process, to `test_schemathesis.py`. The roles
share one server, the admin last (it may disable the others). Each run has a fixed seed:
what it finds, it finds again.

About 45 s on two CPUs, most of it the demo set and each run's start; `BUDGET_SECONDS`
fails the test long before a change of budget could make it a long run unnoticed.
"""

import time
from collections.abc import Iterator

import pytest

from tests.support import schemathesis_live
from tests.support.live import LiveServer, run_oversight, server_env, serving

BUDGET_SECONDS = 90  # the three runs, on a machine shared with other tests
PHASES = "examples,fuzzing"


@pytest.fixture(scope="module")
def demo_server(databases, tmp_path_factory) -> Iterator[LiveServer]:
    home = tmp_path_factory.mktemp("schemathesis-live-short")
    env = server_env(databases, home) | schemathesis_live.SERVER_ENV
    run_oversight(env, home, "demo")
    with serving(env, home) as server:
        yield server


def test_a_short_st_run_as_each_role_finds_nothing(demo_server, tmp_path):
    started = time.monotonic()
    for n, role in enumerate(schemathesis_live.ROLES):
        workdir = tmp_path / role
        workdir.mkdir()
        outcome = schemathesis_live.run(
            demo_server.base_url,
            role,
            workdir,
            max_examples=1,
            phases=PHASES + (",stateful" if role == "editor" else ""),
            seed=1400 + n,
        )
        print(outcome.summary())
        problems = "\n\n".join(outcome.failures + outcome.errors)
        assert outcome.operations >= 80, f"{outcome.summary()}\n{outcome.output[-6000:]}"
        assert not problems, f"{outcome.summary()}\n{problems}"
        assert outcome.exit_code == 0, f"{outcome.summary()}\n{outcome.output[-6000:]}"
    took = time.monotonic() - started
    assert took < BUDGET_SECONDS, f"the short run took {took:.0f} s"
