"""The examples run as their users run them: a shell, a Python process, over real HTTP.

`AdminServer` is a live `oversight serve` with a bootstrapped admin; `oversight_json` runs one
command.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.live import LiveServer, oversight_command

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ADMIN_EMAIL = "admin@secretariat.example.org"
ADMIN_PASSWORD = "secretariat admin passphrase"


def command_env(env: dict[str, str]) -> dict[str, str]:
    """`env` with this interpreter's scripts (`oversight`) first on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    return {**env, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"}


def oversight_json(env: dict[str, str], home: Path, *args: str, stdin: str | None = None) -> Any:
    """Runs `oversight ARGS --json`, fails the test unless it exits 0, returns its JSON."""
    done = subprocess.run(
        [*oversight_command(), *args, "--json"],
        env=env,
        cwd=home,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"oversight {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return json.loads(done.stdout)


def bootstrap(env: dict[str, str], home: Path) -> dict[str, Any]:
    return oversight_json(
        env,
        home,
        "bootstrap",
        "--agency",
        "Partnership Secretariat",
        "--email",
        ADMIN_EMAIL,
        "--password-stdin",
        stdin=ADMIN_PASSWORD + "\n",
    )


@dataclass(frozen=True)
class AdminServer:
    """A live server whose first admin is ADMIN_EMAIL / ADMIN_PASSWORD."""

    server: LiveServer
    env: dict[str, str]
    home: Path
    admin: dict[str, Any]

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def oversight(self, *args: str, stdin: str | None = None) -> Any:
        return oversight_json(self.env, self.home, *args, stdin=stdin)

    def token(self, username: str, password: str) -> dict[str, str]:
        """Bearer headers for a person (password grant)."""
        r = httpx.post(
            f"{self.base_url}/api/v1/auth/token",
            data={"grant_type": "password", "username": username, "password": password},
            timeout=30,
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}
