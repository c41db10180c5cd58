"""SQLite: checkpoints in the background, so that no request pays for them.

In WAL mode a commit appends its pages to the write-ahead log, and SQLite copies the log back
into the database file (a checkpoint, with an fsync of each file) inside whichever commit
takes the log past 1,000 pages. Audited reads commit a few records with every list page, so
about one list request in a hundred paid for a checkpoint. A serving worker runs a PASSIVE
checkpoint every quarter of a second in a thread of its own: it waits for no reader or writer
(a busy one is simply retried), and the copying and fsyncs run outside the GIL. SQLite's
automatic checkpoint stays on as the safety net for a log that grows faster than that. What
it saves: docs/architecture.md, "Tails: what a serving worker does at start".
"""

import logging
import threading

from sqlalchemy import Engine

log = logging.getLogger(__name__)
INTERVAL = 0.25


class Checkpointer:
    """A daemon thread running `PRAGMA wal_checkpoint(PASSIVE)` every `interval` seconds."""

    def __init__(self, engine: Engine, interval: float = INTERVAL) -> None:
        self.engine = engine
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True)

    def start(self) -> "Checkpointer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        conn = self.engine.raw_connection()  # its own, outside any transaction (see db.py)
        try:
            while not self._stop.wait(self.interval):
                try:
                    conn.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except Exception:  # a failed run is simply tried again at the next tick
                    log.warning("background checkpoint failed", exc_info=True)
        finally:
            conn.close()


def start_checkpoints(engine: Engine) -> Checkpointer | None:
    """Background checkpoints for a SQLite database file; None for any other database."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    return Checkpointer(engine).start()
