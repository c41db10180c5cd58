"""The demo's year of reports reproduces the seed paper's headline figures."""

import time

from oversight import demo
from oversight.demo.reports import YEAR_FROM, YEAR_TO


def test_the_demo_summary_equals_the_seed_papers_figures(client, db, auth, factory):
    started = time.perf_counter()
    loaded = demo.load(db)
    db.commit()
    assert time.perf_counter() - started < 60
    assert loaded.reports == 734
    h = auth(factory.user())
    period = {"from": YEAR_FROM.isoformat(), "to": YEAR_TO.isoformat()}
    s = client.get("/api/v1/statistics/summary", params=period, headers=h).json()
    assert s["reports"] == 734
    assert round(s["against_individuals_share"], 2) == 0.84
    assert round(s["against_organisations_share"], 2) == 0.16
    assert s["financial_loss_gbp"] == 1_500_000
    assert 0.1 < s["near_miss_share"] < 0.2
    assert s["top_vectors"] and not s["suppressed"]
    months = client.get(
        "/api/v1/statistics/reports", params={**period, "group_by": "month"}, headers=h
    ).json()
    assert len(months["cells"]) == 12 and months["suppressed_cells"] == 0
