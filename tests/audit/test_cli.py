"""`oversight audit verify|export` on a real database."""

import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from oversight.audit import recorder
from oversight.audit.recorder import record
from oversight.cli import app
from oversight.config import get_settings
from oversight.db import make_sessionmaker
from tests.support.audit import drop_append_only, restore_append_only


@pytest.fixture
def cli_db(databases, monkeypatch):
    engine = databases.migrated_engine()
    recorder.install()
    factory = make_sessionmaker(engine)
    for i in range(5):
        with factory() as session:
            record(session, "test.cli", resource_id=i, changes={"note": "naïve café"})
            session.commit()
    monkeypatch.setenv("OVERSIGHT_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()
    engine.dispose()


def run(*args):
    return CliRunner().invoke(app, list(args))


def test_verify_ok(cli_db):
    r = run("audit", "verify")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("ok: 5 records")
    doc = json.loads(run("audit", "verify", "--json").output)
    assert doc["ok"] is True and doc["records"] == 5 and doc["first_bad_seq"] is None
    checked = run(
        "audit", "verify", "--json", "--expected-seq", "5", "--expected-head", doc["head_hash"]
    )
    assert checked.exit_code == 0, checked.output


def test_verify_broken_exits_1_naming_the_seq(cli_db):
    with cli_db.begin() as conn:
        drop_append_only(conn)
        conn.execute(text("UPDATE audit_record SET outcome = 'failure' WHERE seq = 3"))
        restore_append_only(conn)
    r = run("audit", "verify")
    assert r.exit_code == 1
    assert "seq 3" in r.output
    doc = json.loads(run("audit", "verify", "--json").output)
    assert doc["ok"] is False and doc["first_bad_seq"] == 3 and doc["records"] == 2


def test_verify_a_missing_checkpoint_exits_1(cli_db):
    r = run("audit", "verify", "--json", "--expected-seq", "9")
    assert r.exit_code == 1
    assert json.loads(r.output)["first_bad_seq"] == 6


def test_verify_refuses_a_head_without_seq(cli_db):
    r = run("audit", "verify", "--expected-head", "a" * 64)
    assert r.exit_code == 2


def test_export_to_stdout_and_file(cli_db, tmp_path):
    r = run("audit", "export")
    assert r.exit_code == 0, r.output
    lines = [json.loads(line) for line in r.output.splitlines()]
    assert [d["seq"] for d in lines] == [1, 2, 3, 4, 5]
    assert lines[0]["changes"] == {"note": "naïve café"}
    out = tmp_path / "trail.jsonl"
    r = run("audit", "export", "--output", str(out), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == {"written": str(out), "records": 5}
    assert (
        out.read_text(encoding="utf-8").splitlines() == run("audit", "export").output.splitlines()
    )


def test_a_database_without_the_schema_is_a_one_line_error(tmp_path, monkeypatch):
    (tmp_path / "empty.db").touch()  # a database, without the schema
    monkeypatch.setenv("OVERSIGHT_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()
    try:
        r = run("audit", "verify")
    finally:
        get_settings.cache_clear()
    assert r.exit_code == 1
    assert r.output.startswith("error: cannot read the audit trail")
