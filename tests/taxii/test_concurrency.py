"""Writers adding versions at once, a reader syncing by `added_after` all the while: the
reader sees every version exactly once (commit order and `date_added` order agree)."""

import random
import threading
import time
import uuid

from sqlalchemy import select

from oversight.db import make_engine, make_sessionmaker, migrations, utcnow
from oversight.taxii.feed import Moments
from oversight.taxii.models import StixObject, StixVersion

WRITERS = 4
EACH = 25
PER_TRANSACTION = 3


def _write(factory, rng: random.Random, start: threading.Barrier) -> None:
    start.wait(timeout=60)
    for _ in range(EACH):
        with factory() as session, session.begin():
            moments = Moments(session)
            now = utcnow()
            obj = StixObject(
                id=uuid.uuid4(),
                stix_id=f"indicator--{uuid.uuid4()}",
                stix_type="indicator",
                key=uuid.uuid4().hex,
                created=now,
                modified=now,
                digest="",
                versions=PER_TRANSACTION,
                revoked=False,
            )
            session.add(obj)
            for n in range(PER_TRANSACTION):
                session.add(
                    StixVersion(
                        object_id=obj.id,
                        stix_id=obj.stix_id,
                        stix_type="indicator",
                        number=n + 1,
                        modified=now,
                        date_added=moments.next(),
                        is_latest=n == PER_TRANSACTION - 1,
                        body="{}",
                    )
                )
            session.flush()
            time.sleep(rng.random() / 200)  # committed a little after its moments were taken


def _read_new(factory, mark):
    with factory() as session:
        stmt = select(StixVersion.id, StixVersion.date_added).order_by(StixVersion.date_added)
        if mark is not None:
            stmt = stmt.where(StixVersion.date_added > mark)
        return list(session.execute(stmt.limit(7)).all())


def test_a_reader_syncing_during_writes_sees_every_version_once(databases):
    engine = make_engine(databases.new_url())
    migrations.upgrade(engine)
    factory = make_sessionmaker(engine)
    start = threading.Barrier(WRITERS)
    writers = [
        threading.Thread(target=_write, args=(factory, random.Random(i), start))
        for i in range(WRITERS)
    ]
    seen: list[uuid.UUID] = []
    mark = None
    try:
        for w in writers:
            w.start()
        while any(w.is_alive() for w in writers):
            rows = _read_new(factory, mark)
            if rows:
                seen += [r.id for r in rows]
                mark = rows[-1].date_added
        while rows := _read_new(factory, mark):
            seen += [r.id for r in rows]
            mark = rows[-1].date_added
        for w in writers:
            w.join()
        assert len(seen) == len(set(seen)) == WRITERS * EACH * PER_TRANSACTION
    finally:
        engine.dispose()
