"""No change without its record, and no record without its change: they commit together."""

import pytest
from fastapi import APIRouter
from sqlalchemy import select

from oversight.accounts.models import Agency
from oversight.audit import chain
from oversight.audit.recorder import record
from oversight.auth.principal import AnyPrincipal
from oversight.db import keep_on_rollback
from oversight.errors import Conflict, Forbidden
from oversight.web.session import SessionDep
from tests.support.audit import records


@pytest.fixture
def routes(app):
    """Test-only endpoints that change an audited row, flush it, and then fail."""
    router = APIRouter(prefix="/test-only")

    def _flush_agency(session, slug: str) -> None:
        session.add(Agency(name=f"Doomed {slug}", slug=slug, sector="police"))
        session.flush()
        record(session, "test.doomed_event")

    @router.post("/problem/{slug}")
    def problem(session: SessionDep, slug: str) -> None:
        _flush_agency(session, slug)
        raise Conflict("refused after the flush")

    @router.post("/crash/{slug}")
    def crash(session: SessionDep, slug: str) -> None:
        _flush_agency(session, slug)
        raise RuntimeError("boom after the flush")

    @router.post("/denied/{slug}")
    def denied(session: SessionDep, principal: AnyPrincipal, slug: str) -> None:
        _flush_agency(session, slug)
        keep_on_rollback(session, lambda s: record(s, "test.security_note"))
        raise Forbidden("no")

    @router.post("/ok/{slug}")
    def ok(session: SessionDep, slug: str) -> dict[str, str]:
        _flush_agency(session, slug)
        return {"status": "kept"}

    app.include_router(router)
    return app


def _agency(db, slug):
    return db.scalar(select(Agency).where(Agency.slug == slug))


@pytest.mark.parametrize(("path", "status"), [("problem", 409), ("crash", 500)])
def test_a_failed_request_leaves_neither_change_nor_record(routes, client, db, path, status):
    before = chain.head(db)
    r = client.post(f"/test-only/{path}/doomed-{path}")
    assert r.status_code == status
    assert _agency(db, f"doomed-{path}") is None
    assert records(db, resource_type="agency") == []
    assert records(db, action="test.doomed_event") == []
    assert chain.head(db) == before
    assert chain.verify(db).ok


def test_a_security_record_survives_the_rollback_alone(routes, client, db, auth, factory):
    user = factory.user()
    r = client.post("/test-only/denied/doomed-denied", headers=auth(user))
    assert r.status_code == 403
    assert _agency(db, "doomed-denied") is None
    assert records(db, action="test.doomed_event") == []
    (note,) = records(db, action="test.security_note")
    assert note.actor_id == str(user.id)  # the actor set by the principal is kept
    assert chain.verify(db).ok


def test_a_successful_request_commits_both(routes, client, db):
    r = client.post("/test-only/ok/kept-agency", headers={"User-Agent": "partner-system/2.1"})
    assert r.status_code == 200, r.text
    agency = _agency(db, "kept-agency")
    assert agency is not None
    (created,) = records(db, resource_id=str(agency.id))
    assert created.action == "agency.create"
    assert created.actor_type == "anonymous"  # a request without a principal
    assert created.user_agent == "partner-system/2.1"
    assert created.request_id == r.headers["x-request-id"]
    (event,) = records(db, action="test.doomed_event")
    assert event.seq == created.seq + 1
