"""Finding 6: the trail records in clear only the fields named as metadata; every other field
is content, recorded as a digest, so free text never reaches an auditor."""

from sqlalchemy import Text

import oversight.models  # noqa: F401  (registers every model)
from oversight.audit.changes import Audited
from oversight.db import Base
from tests.support.audit import as_json, records
from tests.support.bulletins import API, create, publish


def _audited_mappers():
    return [m for m in Base.registry.mappers if issubclass(m.class_, Audited)]


def test_metadata_names_real_columns_and_never_free_text_or_secrets():
    assert len(_audited_mappers()) >= 10
    for mapper in _audited_mappers():
        cls = mapper.class_
        columns = {a.key: a.columns[0] for a in mapper.column_attrs}
        assert cls.__audit_metadata__ <= columns.keys(), cls
        assert not cls.__audit_metadata__ & cls.__audit_secret__, cls
        free_text = {k for k, c in columns.items() if isinstance(c.type, Text)}
        assert not cls.__audit_metadata__ & free_text, (cls, cls.__audit_metadata__ & free_text)


def test_a_field_nobody_declared_is_digested(client, db, factory, auth, monkeypatch):
    from oversight.accounts.models import Agency

    monkeypatch.setattr(Agency, "__audit_metadata__", frozenset({"id"}))
    admin = factory.user(roles=["admin"])
    r = client.post(
        "/api/v1/agencies",
        json={"name": "Undeclared Name", "slug": "undeclared", "sector": "charity"},
        headers=auth(admin),
    )
    assert r.status_code == 201
    (created,) = records(db, resource_type="agency", resource_id=r.json()["id"])
    assert set(created.changes["sector"]) == {"after_sha256"}
    assert "Undeclared" not in as_json(created) and "charity" not in as_json(created)


def test_reasons_references_and_notes_reach_the_trail_only_as_digests(client, db, factory, auth):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    secret_ref = "https://intel.example/case-4711-informant"
    b = publish(client, h, create(client, h, tlp="AMBER", references=[secret_ref]))
    reader = factory.user(roles=["editor"])
    r = client.post(
        f"{API}/{b['id']}/acknowledge",
        json={"note": "Our SOC saw this at the Leeds depot"},
        headers=auth(reader),
    )
    assert r.status_code == 201, r.text
    r = client.post(
        f"{API}/{b['id']}/withdraw",
        json={"reason": "Source compromised: operation Nightjar"},
        headers={**h, "If-Match": f'"{b["version"]}"'},
    )
    assert r.status_code == 200, r.text
    trail = " ".join(as_json(rec) for rec in records(db))
    for secret in (secret_ref, "Leeds depot", "Nightjar"):
        assert secret not in trail
    (withdrawal,) = records(db, action="bulletin.withdraw")
    assert set(withdrawal.changes["withdrawal_reason"]) == {"before_sha256", "after_sha256"}
    assert withdrawal.changes["status"] == {"before": "published", "after": "withdrawn"}
