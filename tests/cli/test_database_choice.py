"""The command line never starts a database by accident, says plainly which databases it
speaks, and tells a checkpoint mismatch apart from a broken chain."""

import json

import pytest

from oversight.config import get_settings

READERS = [
    ["users", "list"],
    ["agencies", "create", "--name", "Eastvale", "--sector", "police"],
    ["audit", "verify"],
    ["audit", "export"],
    ["db", "current"],
]


@pytest.fixture
def no_database_here(monkeypatch, tmp_path):
    """No OVERSIGHT_DATABASE_URL, in a directory with no ./var/oversight.db."""
    monkeypatch.delenv("OVERSIGHT_DATABASE_URL", raising=False)
    monkeypatch.setenv("OVERSIGHT_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.mark.parametrize("argv", READERS, ids=[" ".join(a) for a in READERS])
def test_commands_stop_when_the_database_does_not_exist(oversight, no_database_here, argv):
    ran = oversight(*argv, "--json")
    assert ran.code == 1
    expected = no_database_here / "var" / "oversight.db"
    assert ran.error.startswith(f"no database at {expected} (OVERSIGHT_DATABASE_URL is not set")
    assert "oversight db upgrade" in ran.error
    assert not expected.exists() and not (no_database_here / "var").exists()


def test_a_named_database_that_does_not_exist_is_named(oversight, monkeypatch, tmp_path):
    monkeypatch.setenv("OVERSIGHT_DATABASE_URL", f"sqlite:///{tmp_path}/typo.db")
    get_settings.cache_clear()
    ran = oversight("users", "list")
    assert ran.code == 1
    assert ran.err.startswith(f"error: no database at {tmp_path}/typo.db (OVERSIGHT_DATABASE_URL")
    assert not (tmp_path / "typo.db").exists()
    get_settings.cache_clear()


def test_setting_up_commands_may_create_it(oversight, no_database_here):
    assert oversight("db", "upgrade", "--json").code == 0
    assert (no_database_here / "var" / "oversight.db").exists()
    assert oversight("users", "list", "--json").json() == []


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("mysql://root@localhost/oversight", "mysql"),
        ("postgresql://postgres@localhost/oversight", "postgresql"),
        ("not a url", "not a database URL"),
    ],
)
def test_an_unsupported_database_url_is_one_line_naming_the_supported_ones(
    oversight, monkeypatch, url, named
):
    monkeypatch.setenv("OVERSIGHT_DATABASE_URL", url)
    get_settings.cache_clear()
    for argv in (["users", "list"], ["db", "upgrade"], ["serve"]):
        ran = oversight(*argv, "--json")
        assert ran.code == 1
        assert ran.error == (
            f"unsupported database URL in OVERSIGHT_DATABASE_URL ({named}): use sqlite "
            "(sqlite:///path/to/oversight.db) or postgresql+psycopg "
            "(postgresql+psycopg://user@host/dbname)"
        )
    get_settings.cache_clear()


def test_a_checkpoint_mismatch_is_not_a_broken_chain(oversight, fresh_db):
    oversight("bootstrap", "--agency", "Secretariat", "--email", "a@example.org")
    now = oversight("audit", "verify", "--json").json()
    assert now["ok"] is True and now["checkpoint_mismatch"] is False
    seq = str(now["records"])
    same = oversight("audit", "verify", "--expected-seq", seq, "--expected-head", now["head_hash"])
    assert same.code == 0

    wrong = "0" * 64
    ran = oversight("audit", "verify", "--expected-seq", seq, "--expected-head", wrong, "--json")
    assert ran.code == 3
    doc = json.loads(ran.out)
    assert doc["ok"] is False and doc["checkpoint_mismatch"] is True
    assert doc["first_bad_seq"] == now["records"]
    text = oversight("audit", "verify", "--expected-seq", seq, "--expected-head", wrong)
    assert text.code == 3 and text.out.startswith(f"checkpoint mismatch at seq {seq}:")
    assert "BROKEN" not in text.out

    # A checkpoint beyond the end is a trail cut back: broken, exit 1.
    cut = oversight("audit", "verify", "--expected-seq", str(now["records"] + 5), "--json")
    assert cut.code == 1 and "checkpoint mismatch" not in cut.out
