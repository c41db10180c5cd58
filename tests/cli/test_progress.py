"""Long runs report progress on stderr (stdout keeps the result): a bar at a terminal,
lines of counts otherwise; short runs stay silent."""

import json
import sys

import pytest

from oversight.cli import progress


@pytest.fixture
def trail(oversight, fresh_db):
    oversight("bootstrap", "--agency", "Secretariat", "--email", "a@example.org")
    return oversight("audit", "verify", "--json").json()["records"]


def test_a_short_run_is_silent(oversight, trail):
    ran = oversight("audit", "verify", "--json")
    assert ran.code == 0 and ran.err == ""


def test_counts_on_stderr_without_a_terminal(oversight, trail, monkeypatch):
    monkeypatch.setattr(progress, "LONG_RUN", 1)
    ran = oversight("audit", "verify", "--json")
    assert json.loads(ran.out)["ok"] is True
    assert ran.err.splitlines()[-1] == f"audit verify: {trail} of {trail} records"
    exported = oversight("audit", "export")
    assert exported.code == 0 and len(exported.out.splitlines()) == trail
    assert exported.err.splitlines()[-1] == f"audit export: {trail} of {trail} records"


def test_a_bar_at_a_terminal(oversight, trail, monkeypatch, tmp_path):
    monkeypatch.setattr(progress, "LONG_RUN", 1)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    ran = oversight("audit", "export", "--output", str(tmp_path / "trail.jsonl"), "--json")
    assert json.loads(ran.out)["records"] == trail
    assert ran.err.startswith("\raudit export [")
    assert ran.err.endswith(f"] {trail}/{trail} records\n")


def test_demo_tells_its_steps(oversight, fresh_db):
    ran = oversight("demo", "--json")
    assert json.loads(ran.out)["logins"]
    assert ran.err.splitlines() == [
        "demo: 1/4 agencies, people and a partner system",
        "demo: 2/4 bulletins",
        "demo: 3/4 meetings and action items",
        "demo: 4/4 incident and near-miss reports",
    ]
