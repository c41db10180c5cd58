"""The module `oversight serve` hands to its workers builds the app and prepares the worker."""

import os
import subprocess
import sys

CHECK = """
import gc, threading
assert gc.get_freeze_count() == 0
import oversight.asgi
print(gc.get_freeze_count(), sorted(t.name for t in threading.enumerate()))
"""


def test_a_serving_worker_checkpoints_in_the_background_and_freezes_its_heap(tmp_path):
    env = os.environ | {
        "OVERSIGHT_DATABASE_URL": f"sqlite:///{tmp_path / 'worker.db'}",
        "OVERSIGHT_SECRET_KEY": "k" * 48,
        "OVERSIGHT_VAR_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=True
    )
    frozen, threads = out.stdout.split(" ", 1)
    # The routes, models and schemas: far more than any request's garbage.
    assert int(frozen) > 50_000
    assert "sqlite-checkpoints" in threads
