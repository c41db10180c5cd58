"""Shared by the command-line tests: a fresh database, and `oversight ...` run as a script
runs it (through `run`, so errors are told exactly as at a shell)."""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from oversight.cli import app
from oversight.cli.output import run
from oversight.config import get_settings
from tests.support.databases import TEST_SECRET


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        assert self.code == 0, (self.code, self.err)
        return json.loads(self.out)

    @property
    def error(self) -> str:
        """The one-line error of a --json run."""
        assert self.out == "" and self.err.count("\n") == 1, (self.out, self.err)
        return json.loads(self.err)["error"]


@pytest.fixture
def fresh_db(databases, monkeypatch, tmp_path) -> Iterator[str]:
    url = databases.new_url()
    monkeypatch.setenv("OVERSIGHT_DATABASE_URL", url)
    monkeypatch.setenv("OVERSIGHT_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("OVERSIGHT_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def oversight(capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:
    def invoke(*argv: str) -> Ran:
        with pytest.raises(SystemExit) as done:
            run(app, list(argv))
        captured = capsys.readouterr()
        return Ran(int(done.value.code or 0), captured.out, captured.err)

    return invoke
