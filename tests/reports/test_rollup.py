"""The statistics rollup (`reports.rollup`), kept in the transaction of every report's change:
after any sequence of creates, edits and withdrawals through the API it equals the figures
recomputed from the reports, the statistics answer exactly what the GROUP BY over the
reports answered, a failed write leaves it as it was, and concurrent writers lose nothing."""

import threading
import uuid
from datetime import date
from typing import Any
from unittest import mock

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from oversight.audit import recorder
from oversight.main import create_app
from oversight.reports import statistics
from oversight.reports.models import Report
from oversight.reports.repository import StatisticsRepository
from oversight.reports.statistics_schemas import GroupBy, ReportStatistics, StatisticsSummary
from tests.support.databases import make_settings
from tests.support.factories import Factory
from tests.support.reports import API, create, if_match, payload
from tests.support.rollup import from_reports, recomputed, stored

FIELDS = {
    "kind": st.sampled_from(["incident", "near_miss"]),
    "occurred_on": st.builds(date, st.just(2025), st.integers(1, 12), st.integers(1, 28)).map(
        date.isoformat
    ),
    "category": st.sampled_from(["fraud", "phishing", "ransomware"]),
    "vector": st.sampled_from(["phishing", "ddos", "insider"]),
    "victim_type": st.sampled_from(["individual", "sme", "charity"]),
    "outcome": st.sampled_from(["prevented", "contained", "loss"]),
    "financial_loss_gbp": st.integers(0, 20_000),
    "reported_to_action_fraud": st.booleans(),
    "include_in_statistics": st.booleans(),
    "tlp": st.sampled_from(["GREEN", "AMBER", "AMBER+STRICT"]),
    "description": st.sampled_from(["Redirected payment.", "Spoofed invoice."]),
}
AGENCIES = 4
steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, AGENCIES - 1), st.fixed_dictionaries(FIELDS)),
        st.tuples(
            st.just("update"), st.integers(0, 999), st.fixed_dictionaries({}, optional=FIELDS)
        ),
        st.tuples(st.just("withdraw"), st.integers(0, 999), st.just({})),
    ),
    min_size=1,
    max_size=12,
)
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}


def _world(factory: Factory, auth: Any) -> dict[str, list]:
    """Editors of a few agencies, made once per test; the reports written so far."""
    world = getattr(factory, "rollup_world", None)
    if world is None:
        editors = [auth(factory.user(factory.agency(), roles=["editor"])) for _ in range(AGENCIES)]
        world = factory.rollup_world = {"editors": editors, "reports": []}
    return world


def _step(client: TestClient, world: dict[str, list], op: str, n: int, body: dict) -> None:
    if op == "create":
        r = client.post(API, json=payload(**body), headers=world["editors"][n])
        assert r.status_code == 201, r.text
        world["reports"].append((n, r.json()))
        return
    if not world["reports"]:
        return
    i = n % len(world["reports"])
    agency, report = world["reports"][i]
    h = if_match(world["editors"][agency], report)
    if op == "update":
        r = client.patch(f"{API}/{report['id']}", json=body, headers=h)
    else:
        r = client.post(f"{API}/{report['id']}/withdraw", json={"reason": "Twice"}, headers=h)
    withdrawn = report["status"] == "withdrawn"
    assert r.status_code == (409 if withdrawn else 200), r.text  # 409: no edit once withdrawn
    if not withdrawn:
        world["reports"][i] = (agency, r.json())


def _old_tallies(self: StatisticsRepository, group: str, start: Any, end: Any) -> Any:
    return from_reports(self.session, group, start, end)


def _as_before(figures: Any, *args: Any) -> Any:
    """What the statistics answered when they were counted from the reports themselves."""
    with mock.patch.object(StatisticsRepository, "tallies", _old_tallies):
        return figures(*args)


def _json(schema: Any, figures: dict) -> Any:
    return schema.model_validate(figures).model_dump(mode="json", by_alias=True)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_the_rollup_is_the_reports_recounted_after_any_writes(client, factory, auth, db, steps):
    world = _world(factory, auth)
    reader = world["editors"][0]
    for op, n, body in steps:
        _step(client, world, op, n, body)
        assert stored(db) == recomputed(db), (op, body)
    for params in (YEAR, {"from": "2025-03-10", "to": "2025-05-02"}, {}):
        period = [date.fromisoformat(params[k]) if k in params else None for k in ("from", "to")]
        for group in GroupBy:
            got = client.get(
                "/api/v1/statistics/reports",
                params={**params, "group_by": group.value},
                headers=reader,
            )
            assert got.status_code == 200, got.text
            want = _as_before(statistics.reports, db, group.value, *period)
            assert got.json() == _json(ReportStatistics, want)
        got = client.get("/api/v1/statistics/summary", params=params, headers=reader)
        want = _as_before(statistics.summary, db, *period)
        assert got.json() == _json(StatisticsSummary, want)


def test_a_failed_write_leaves_the_rollup_unchanged(client, factory, auth, db):
    agency = factory.agency()
    h = auth(factory.user(agency, roles=["editor"]))
    r = create(client, h, category="fraud", financial_loss_gbp=700, occurred_on="2025-04-02")
    before = stored(db)
    assert before == recomputed(db) and len(before) == 7
    url = f"{API}/{r['id']}"
    move = {"category": "phishing", "financial_loss_gbp": 5}
    failures = [
        (client.post(API, json=payload(kind="riot"), headers=h), 422),
        (client.post(API, json=payload(occurred_on="2999-01-01"), headers=h), 422),
        (client.patch(url, json=move, headers={**h, "If-Match": '"7"'}), 412),
        (client.patch(url, json=move, headers=h), 428),
        (
            client.patch(url, json={**move, "occurred_on": "2999-01-01"}, headers=if_match(h, r)),
            422,
        ),
        (
            client.patch(
                url,
                json={**move, "recipient_agencies": [str(uuid.uuid4())]},
                headers=if_match(h, r),
            ),
            422,
        ),
        (
            client.patch(url, json=move, headers=if_match(auth(factory.user(roles=["editor"])), r)),
            403,
        ),
        (client.post(f"{url}/withdraw", json={}, headers=if_match(h, r)), 422),
        (
            client.post(
                f"{url}/withdraw", json={"reason": "Twice"}, headers={**h, "If-Match": '"9"'}
            ),
            412,
        ),
    ]
    for answer, status in failures:
        assert answer.status_code == status, answer.text
        assert stored(db) == before
    # A change already flushed (the rollup moved with it) and then rolled back.
    nested = db.begin_nested()
    report = db.get(Report, uuid.UUID(r["id"]))
    report.category, report.financial_loss_gbp = "phishing", 5
    db.flush()
    assert stored(db) != before and stored(db) == recomputed(db)
    nested.rollback()
    assert stored(db) == before


def test_every_kind_of_change_through_the_session_moves_the_rollup(client, factory, auth, db):
    h = auth(factory.user(factory.agency(), roles=["editor"]))
    kept, gone = (create(client, h, occurred_on=f"2025-0{m}-15") for m in (5, 6))
    report = db.get(Report, uuid.UUID(kept["id"]))
    db.expire(report)  # set without reading first: the old value is read from the database
    report.occurred_on = date(2025, 8, 1)
    db.flush()
    assert stored(db) == recomputed(db)
    assert {k[1] for k in stored(db)} == {date(2025, 6, 1), date(2025, 8, 1)}
    db.delete(db.get(Report, uuid.UUID(gone["id"])))
    db.flush()
    assert stored(db) == recomputed(db)
    assert {k[1] for k in stored(db)} == {date(2025, 8, 1)}


WRITERS, EACH = 6, 8


def test_concurrent_writers_in_one_cell_lose_no_count(databases, tmp_path):
    engine = databases.migrated_engine()
    try:
        app = create_app(
            make_settings(engine.url.render_as_string(hide_password=False), tmp_path), engine
        )
        with Session(engine, expire_on_commit=False) as session:
            session.info["actor"] = recorder.SYSTEM
            factory = Factory(session, app.state.tokens)
            agency = factory.agency()
            editors = [
                factory.headers(factory.user(agency, roles=["editor"])) for _ in range(WRITERS)
            ]
        gate = threading.Barrier(WRITERS)
        codes: list[int] = []

        def write(client: TestClient, h: dict[str, str]) -> None:
            gate.wait()
            for _ in range(EACH):
                body = payload(occurred_on="2025-09-09", financial_loss_gbp=3)
                codes.append(client.post(API, json=body, headers=h).status_code)

        with TestClient(app, raise_server_exceptions=False) as client:
            threads = [threading.Thread(target=write, args=(client, h)) for h in editors]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert codes == [201] * (WRITERS * EACH)
        with engine.connect() as conn:
            rows = stored(conn)
            assert rows == recomputed(conn)
        cell = ("vector", date(2025, 9, 1), "phishing", str(agency.id))
        assert rows[cell] == (WRITERS * EACH, 3 * WRITERS * EACH)
    finally:
        engine.dispose()
