"""Findings 3, 4, 5 and 8: logins are counted atomically where every worker sees them, hashed
outside any database slot, bounded in size, and a partner system cannot be locked out."""

import asyncio
import threading
import time
import uuid

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from oversight.audit.models import AuditRecord
from oversight.auth import router as auth_router
from oversight.auth.passwords import verify_password
from tests.support.factories import DEFAULT_PASSWORD

TOKEN = "/api/v1/auth/token"


def _client(own, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=own.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://oversight.test")


def _login_form(email: str, password: str = "wrong password guess") -> dict[str, str]:
    return {"grant_type": "password", "username": email, "password": password}


class HashSpy:
    """Stands in for the password check: counts calls and the most run at once."""

    def __init__(self, own, gate: threading.Event | None = None) -> None:
        self.own, self.gate = own, gate
        self.calls = self.running = self.most = 0
        self.free_slots: list[int] = []
        self.lock = threading.Lock()

    def __call__(self, password: str, password_hash: str | None) -> bool:
        with self.lock:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
            self.free_slots.append(self.own.app.state.admission.semaphore.value)
        try:
            if self.gate is not None:
                assert self.gate.wait(timeout=30)
            else:
                time.sleep(0.05)
            return verify_password(password, password_hash)
        finally:
            with self.lock:
                self.running -= 1


def test_a_password_is_checked_holding_no_database_slot(own_database, monkeypatch):
    spy = HashSpy(own_database)
    monkeypatch.setattr(auth_router, "verify_password", spy)
    user = own_database.factory.user()

    async def one() -> httpx.Response:
        async with _client(own_database, "192.0.2.10") as c:
            return await c.post(TOKEN, data=_login_form(user.email, DEFAULT_PASSWORD))

    assert asyncio.run(one()).status_code == 200
    assert spy.free_slots == [own_database.app.state.admission.slots]


def test_members_are_served_while_anonymous_logins_hash(own_database, monkeypatch):
    gate = threading.Event()
    spy = HashSpy(own_database, gate)
    monkeypatch.setattr(auth_router, "verify_password", spy)
    member = own_database.factory.user()
    headers = own_database.factory.headers(member)

    async def scenario() -> tuple[int, list[int]]:
        async with _client(own_database, "192.0.2.11") as c:
            logins = [
                asyncio.create_task(c.post(TOKEN, data=_login_form(f"x{n}@unknown.example")))
                for n in range(8)
            ]
            while spy.calls < 2:  # the bound: two hash at once, six wait for their turn
                await asyncio.sleep(0.01)
            # More logins than database slots are waiting, yet a member gets in at once.
            me = await asyncio.wait_for(c.get("/api/v1/me", headers=headers), timeout=10)
            running_most = spy.most
            gate.set()
            answers = await asyncio.gather(*logins)
            return me.status_code, [running_most, *[a.status_code for a in answers]]

    me_status, (most, *statuses) = asyncio.run(scenario())
    assert me_status == 200
    assert most <= own_database.app.state.admission.hashes == 2
    assert statuses == [400] * 8


def test_parallel_guesses_are_counted_before_any_is_checked(own_database, monkeypatch):
    spy = HashSpy(own_database)
    monkeypatch.setattr(auth_router, "verify_password", spy)
    user = own_database.factory.user()

    async def guesses() -> list[int]:
        async with _client(own_database, "192.0.2.12") as c:
            answers = await asyncio.gather(
                *(c.post(TOKEN, data=_login_form(user.email)) for _ in range(40))
            )
            return [a.status_code for a in answers]

    statuses = asyncio.run(guesses())
    threshold = own_database.app.state.settings.lockout_threshold
    assert spy.calls == threshold
    assert sorted(statuses) == [400] * threshold + [429] * (40 - threshold)


def test_form_fields_are_bounded_and_unknown_names_recorded_at_a_fixed_size(own_database):
    async def attempts() -> list[httpx.Response]:
        async with _client(own_database, "192.0.2.13") as c:
            huge = await c.post(TOKEN, data=_login_form("u" * 100_000 + "@example.org"))
            typed_password = await c.post(
                TOKEN, data=_login_form("Tr0ub4dor&3-" + "p" * 300, "whatever")
            )
            return [huge, typed_password]

    with Session(own_database.engine) as s:
        before = s.scalar(select(AuditRecord.seq).order_by(AuditRecord.seq.desc()))
    huge, typed = asyncio.run(attempts())
    assert huge.status_code == 400 and huge.json()["error"] == "invalid_request"
    assert typed.status_code == 400 and typed.json()["error"] == "invalid_grant"
    with Session(own_database.engine) as s:
        recorded = s.scalars(select(AuditRecord).where(AuditRecord.seq > (before or 0))).all()
    assert [r.action for r in recorded] == ["auth.login_failed"]
    (failed,) = recorded
    assert failed.changes["account"] == "(unknown)"
    assert "Tr0ub4dor" not in str(failed.changes) and len(str(failed.changes)) < 200


def test_anyone_knowing_a_client_id_cannot_lock_the_partner_out(own_database):
    sa = own_database.factory.service_account()
    secret = own_database.factory.secrets[sa.id]
    limit = own_database.app.state.settings.client_failures_per_window

    def form(value: str) -> dict[str, str]:
        return {
            "grant_type": "client_credentials",
            "client_id": sa.client_id,
            "client_secret": value,
        }

    async def scenario() -> tuple[list[int], int, int]:
        async with _client(own_database, "192.0.2.14") as attacker:
            bad = [
                (await attacker.post(TOKEN, data=form(f"guess-{n}"))).status_code
                for n in range(limit + 2)
            ]
            blocked = (await attacker.post(TOKEN, data=form(secret))).status_code
        async with _client(own_database, "198.51.100.7") as partner:
            ok = (await partner.post(TOKEN, data=form(secret))).status_code
        return bad, blocked, ok

    bad, blocked, ok = asyncio.run(scenario())
    assert bad == [401] * limit + [429, 429]
    assert blocked == 429  # the address is slowed down...
    assert ok == 200  # ...not the partner system


def test_token_requests_of_one_address_are_rate_limited(own_database, monkeypatch):
    monkeypatch.setattr(own_database.app.state.settings, "token_requests_per_minute", 3)
    address = f"203.0.113.{uuid.uuid4().int % 200}"

    async def burst() -> list[httpx.Response]:
        async with _client(own_database, address) as c:
            return [await c.post(TOKEN, data=_login_form(f"n{n}@x.example")) for n in range(5)]

    answers = asyncio.run(burst())
    assert [a.status_code for a in answers] == [400, 400, 400, 429, 429]
    assert 1 <= int(answers[-1].headers["retry-after"]) <= 60


@pytest.mark.parametrize("scope", ["bulletins:read nonsense:scope", "superuser"])
def test_an_unknown_scope_is_refused_before_the_password_is_looked_at(client, db, factory, scope):
    user = factory.user()
    r = client.post(TOKEN, data={**_login_form(user.email, "not the password"), "scope": scope})
    assert r.status_code == 400 and r.json()["error"] == "invalid_scope"
    assert db.scalars(
        select(AuditRecord.action).where(AuditRecord.resource_id == str(user.id))
    ).all() == ["user.create"]


def test_a_scope_beyond_the_account_is_recorded_and_is_no_login(client, db, factory):
    user = factory.user()  # a member: no audit:read
    wrong = client.post(TOKEN, data={**_login_form(user.email), "scope": "audit:read"})
    assert wrong.json()["error"] == "invalid_grant"  # a wrong password says nothing of scopes
    right = client.post(
        TOKEN, data={**_login_form(user.email, DEFAULT_PASSWORD), "scope": "audit:read"}
    )
    assert right.status_code == 400 and right.json()["error"] == "invalid_scope"
    actions = db.scalars(
        select(AuditRecord.action)
        .where(AuditRecord.resource_id == str(user.id))
        .order_by(AuditRecord.seq)  # in the order they happened (no order is none)
    ).all()
    assert actions[-2:] == ["auth.login_failed", "auth.login_denied"]
