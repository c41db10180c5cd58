"""The README's administrator block runs as printed, beside a `make run` database already
holding the demo set (it starts a database of its own, as it says)."""

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.support.databases import TEST_SECRET

README = Path(__file__).resolve().parents[2] / "README.md"


def admin_block() -> str:
    section = README.read_text().split("## For administrators", 1)[1]
    found = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert found, "no sh block in the README's administrator section"
    return found.group(1)


def test_the_readme_admin_block_runs_as_printed(tmp_path):
    bin_dir = Path(sys.executable).parent
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "activate").write_text(f'PATH="{bin_dir}:$PATH"\n')
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "OVERSIGHT_SECRET_KEY": TEST_SECRET,
        "OVERSIGHT_ARGON2_MEMORY_KIB": "1024",
        "OVERSIGHT_ARGON2_TIME_COST": "1",
    }

    def sh(script: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    # What `make run` leaves: ./var/oversight.db with the demo set.
    made = sh(". .venv/bin/activate\noversight db upgrade\noversight demo --json >/dev/null\n")
    assert made.returncode == 0, made.stderr

    ran = sh(admin_block())
    assert ran.returncode == 0, ran.stderr
    assert "admin admin@police.example created" in ran.stdout
    user = json.loads(next(line for line in ran.stdout.splitlines() if "head@schools" in line))
    assert user["roles"] == ["agency_admin", "member"] and user["password"] is None
    trail = (tmp_path / "trail.jsonl").read_text().splitlines()
    assert trail and all(json.loads(line)["hash"] for line in trail)
    assert (tmp_path / "var" / "admin-tour.db").exists()
