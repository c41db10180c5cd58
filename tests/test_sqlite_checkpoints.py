"""SQLite's write-ahead log reaches the database file in the background, not in a request."""

import sqlite3
import time

from sqlalchemy import text

from oversight.db import make_engine
from oversight.db.sqlite_checkpoints import Checkpointer, start_checkpoints


def _rows_in_the_database_file(path) -> int:
    # immutable=1: read the database file alone, ignoring the write-ahead log.
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM note").fetchone()[0]
    except sqlite3.DatabaseError:  # the table, or pages it needs, still only in the log
        return -1
    finally:
        conn.close()


def _write(engine, n: int) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS note (body TEXT)"))
        for i in range(n):
            conn.execute(text("INSERT INTO note VALUES (:b)"), {"b": f"note {i}"})


def test_commits_reach_the_database_file_without_an_automatic_checkpoint(tmp_path):
    path = tmp_path / "c.db"
    engine = make_engine(f"sqlite:///{path}")
    _write(engine, 20)  # a few pages: far below the 1,000 of the automatic checkpoint
    assert _rows_in_the_database_file(path) == -1
    checkpoints = Checkpointer(engine, interval=0.02).start()
    try:
        _write(engine, 20)
        deadline = time.monotonic() + 10
        while _rows_in_the_database_file(path) != 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _rows_in_the_database_file(path) == 40
    finally:
        checkpoints.stop()
        engine.dispose()


def test_only_a_sqlite_file_gets_background_checkpoints(tmp_path):
    memory = make_engine("sqlite://")
    assert start_checkpoints(memory) is None
    server = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert start_checkpoints(server) is None  # decided from the URL: nothing connects
    file_engine = make_engine(f"sqlite:///{tmp_path / 'f.db'}")
    running = start_checkpoints(file_engine)
    assert running is not None
    running.stop()
    file_engine.dispose()
