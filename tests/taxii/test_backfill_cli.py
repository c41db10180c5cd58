"""`oversight taxii backfill`: a database whose bulletins were published before the feed
gets their versions once; a second run adds nothing."""

import json

from sqlalchemy import func, select, text

from oversight.db import make_engine
from oversight.taxii.models import StixVersion
from tests.support.live import run_oversight, server_env


def test_backfill_feeds_published_bulletins_once(databases, tmp_path):
    env = server_env(databases, tmp_path)
    demo = json.loads(run_oversight(env, tmp_path, "demo", "--json"))
    shown = [b for b in demo["bulletins"] if b["status"] in {"published", "withdrawn"}]
    engine = make_engine(env["OVERSIGHT_DATABASE_URL"])
    try:
        with engine.begin() as conn:  # as it stood before the feed existed
            conn.execute(text("DELETE FROM stix_version"))
            conn.execute(text("DELETE FROM stix_object"))
        first = json.loads(run_oversight(env, tmp_path, "taxii", "backfill", "--json"))
        assert first == {"bulletins": len(shown)}
        with engine.connect() as conn:
            reports = conn.scalar(select(func.count()).where(StixVersion.stix_type == "report"))
        withdrawn = sum(b["status"] == "withdrawn" for b in shown)
        assert reports == len(shown) + withdrawn  # a withdrawn one: published, then revoked
        again = json.loads(run_oversight(env, tmp_path, "taxii", "backfill", "--json"))
        assert again == {"bulletins": 0}
    finally:
        engine.dispose()
