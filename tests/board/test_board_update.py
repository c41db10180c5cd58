"""The board update holds only what its reader may read, in every format, with its markings."""

import json

from tests.support.bulletins import create, publish
from tests.support.reports import create as report

API = "/api/v1/board-update"
FORMATS = {"html": "text/html", "md": "text/markdown", "json": "application/json"}


def test_a_member_never_sees_another_agencys_amber_strict_titles(client, factory, auth):
    a, b, c = factory.agency(), factory.agency(), factory.agency()
    editor = auth(factory.user(a, roles=["editor"]))
    secret = publish(
        client, editor, create(client, editor, title="Strictly ours", tlp="AMBER+STRICT")
    )
    shared = publish(client, editor, create(client, editor, title="Shared with all", tlp="GREEN"))
    for n in range(6):
        writer = auth(factory.user((a, b, c)[n % 3], roles=["editor"]))
        report(client, writer, occurred_on="2026-02-02", tlp="AMBER+STRICT")
    period = {"from": "2026-01-01", "to": "2026-12-31"}
    outsider = auth(factory.user(b))
    insider = auth(factory.user(a))
    for fmt, media in FORMATS.items():
        seen = client.get(API, params=period, headers={**outsider, "Accept": media})
        assert seen.status_code == 200, seen.text
        assert seen.headers["content-type"].startswith(media)
        assert "Strictly ours" not in seen.text and secret["id"] not in seen.text, fmt
        assert "Shared with all" in seen.text, fmt
        own = client.get(API, params=period, headers={**insider, "Accept": media}).text
        assert "Strictly ours" in own and "AMBER+STRICT" in own, fmt
    doc = client.get(API, params=period, headers=outsider).json()
    assert doc["tlp"] == "GREEN" and [x["id"] for x in doc["bulletins"]] == [shared["id"]]
    assert doc["threat_picture"]["summary"]["reports"] == 6  # figures, whatever their TLP
    assert client.get(API, params=period, headers=insider).json()["tlp"] == "AMBER+STRICT"
    page = client.get(API, params=period, headers={**outsider, "Accept": "text/html"}).text
    assert page.count("<svg") == 2 and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "https://" not in page and json.dumps(doc)
    assert client.get(API, params={"from": "2026-01-01"}, headers=outsider).status_code == 400


def test_meetings_held_before_the_period_ends_are_read_from_the_list(client, factory, auth):
    """The meetings list answers JSON as served; the update reads it back (it once took the
    page's bytes for meetings and answered 500 when any meeting was held)."""
    from tests.support.meetings import create_meeting

    editor = auth(factory.user(roles=["editor"]))
    m = create_meeting(client, editor, held_at="2026-03-12T10:00:00Z", title="Board, March")
    r = client.put(
        f"/api/v1/meetings/{m['id']}/minutes",
        json={"body": "Minutes", "decisions": ["Adopt the plan"]},
        headers={**editor, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    r = client.get(API, params={"from": "2026-03-12", "to": "2026-03-12"}, headers=editor)
    assert r.status_code == 200, r.text
