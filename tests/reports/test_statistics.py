"""Statistics over the database: only submitted reports with `include_in_statistics` count
(whatever their TLP), always through the disclosure control; and the HTTP answers."""

import uuid
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.reports import disclosure, statistics
from oversight.reports.disclosure import Cell
from oversight.reports.models import Report
from tests.support.reports import create

VECTORS = ["phishing", "ddos", "insider"]
TLPS = ["CLEAR", "AMBER", "AMBER+STRICT", "RED"]

_AGENCIES: dict[int, list] = {}  # the agencies of each test's session, made once

reports = st.lists(
    st.tuples(
        st.integers(0, 4),  # agency
        st.sampled_from(["submitted", "withdrawn"]),
        st.booleans(),  # include_in_statistics
        st.sampled_from(VECTORS),
        st.integers(0, 9_000),  # loss
        st.sampled_from(TLPS),
        st.integers(1, 12),  # month
    ),
    max_size=40,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=reports)
def test_excluded_and_withdrawn_reports_never_count(db, factory, rows):
    agencies = _AGENCIES.get(id(db)) or _AGENCIES.setdefault(
        id(db), [factory.agency() for _ in range(5)]
    )
    nested = db.begin_nested()
    try:
        expected: dict[str, Cell] = {}
        for agency, status, included, vector, loss, tlp, month in rows:
            db.add(
                Report(
                    agency_id=agencies[agency].id,
                    author_id=uuid.uuid4(),
                    kind="incident",
                    occurred_on=date(2026, month, 1),
                    category="fraud",
                    vector=vector,
                    victim_type="sme",
                    outcome="loss",
                    financial_loss_gbp=loss,
                    status=status,
                    include_in_statistics=included,
                    tlp=tlp,
                )
            )
            if status == "submitted" and included:
                expected.setdefault(vector, Cell(vector)).add(1, loss, agencies[agency].id)
        db.flush()
        got = statistics.reports(db, "vector", date(2026, 1, 1), date(2026, 12, 31))
        want = disclosure.control(sorted(expected.values(), key=lambda c: c.key))
        assert got["cells"] == [c.as_dict() for c in want.cells]
        assert got["total"]["count"] == want.total.count
        assert got["total"]["financial_loss_gbp"] == want.total.financial_loss_gbp
        spring = statistics.reports(db, "month", date(2026, 3, 15), date(2026, 4, 2))
        assert (spring["from"], spring["to"]) == (date(2026, 3, 1), date(2026, 4, 30))
        months = {k for _, s, i, _, _, _, m in rows if s == "submitted" and i for k in [m]}
        assert {c["key"] for c in spring["cells"]} == {f"2026-{m:02d}" for m in months & {3, 4}}
    finally:
        nested.rollback()


def test_statistics_over_http(client, factory, auth):
    agencies = [factory.agency() for _ in range(3)]
    editors = [auth(factory.user(a, roles=["editor"])) for a in agencies]
    for n in range(9):
        create(
            client,
            editors[n % 3],
            tlp="RED" if n == 0 else "AMBER+STRICT",
            victim_type="individual" if n < 7 else "sme",
            kind="near_miss" if n < 3 else "incident",
            financial_loss_gbp=1000,
            occurred_on="2026-02-03",
        )
    outsider = auth(factory.user())  # reads none of these reports, sees the figures
    r = client.get(
        "/api/v1/statistics/reports",
        params={"group_by": "victim_type", "from": "2026-02-10", "to": "2026-02-11"},
        headers=outsider,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["from"], body["to"]) == ("2026-02-01", "2026-02-28")
    assert body["total"] == {"count": 9, "financial_loss_gbp": 9000, "suppressed": False}
    assert body["cells"] == [
        {"key": "individual", "count": None, "financial_loss_gbp": None, "suppressed": True},
        {"key": "sme", "count": None, "financial_loss_gbp": None, "suppressed": True},
    ]
    assert body["suppressed_cells"] == 2 and body["rule"]["min_reports"] == 5
    s = client.get("/api/v1/statistics/summary", headers=outsider).json()
    assert s["reports"] == 9 and s["financial_loss_gbp"] == 9000
    assert s["against_individuals_share"] is None  # 2 SME reports: suppressed with it
    assert s["near_miss_share"] is None and s["top_vectors"] == [
        {"key": "phishing", "count": 9, "financial_loss_gbp": 9000, "suppressed": False}
    ]
    for bad in ({"group_by": "agency"}, {"group_by": "month", "from": "2026-13-01"}, {}):
        r = client.get("/api/v1/statistics/reports", params=bad, headers=outsider)
        assert r.status_code == 400, r.text
    r = client.get("/api/v1/statistics/summary", params={"since": "x"}, headers=outsider)
    assert r.status_code == 400
