"""The module `oversight serve` hands to its workers builds the app and freezes its heap."""

import os
import subprocess
import sys

CHECK = """
import gc
assert gc.get_freeze_count() == 0
import oversight.asgi
print(gc.get_freeze_count())
"""


def test_a_serving_worker_freezes_what_it_built_at_start_up(tmp_path):
    env = os.environ | {
        "OVERSIGHT_DATABASE_URL": f"sqlite:///{tmp_path / 'worker.db'}",
        "OVERSIGHT_SECRET_KEY": "k" * 48,
        "OVERSIGHT_VAR_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=True
    )
    # The routes, models and schemas: far more than any request's garbage.
    assert int(out.stdout) > 50_000
