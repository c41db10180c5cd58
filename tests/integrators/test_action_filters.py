"""The filters a board uses on its action tracker: RAG status, and soonest due first."""

from datetime import date, timedelta

from tests.support.meetings import ACTIONS, create_action


def test_rag_status_filters_and_due_date_sorts(client, factory, auth):
    agency = factory.agency()
    editor = factory.user(agency, roles=["editor"])
    h = auth(editor)
    today = date.today()
    due = {
        "red": today - timedelta(days=3),
        "amber": today + timedelta(days=5),
        "green": today + timedelta(days=30),
    }
    made = {
        rag: create_action(client, h, agency.id, due_date=d.isoformat()) for rag, d in due.items()
    }
    undated = create_action(client, h, agency.id, due_date=None)
    for rag, action in made.items():
        got = client.get(
            ACTIONS, params={"rag_status": rag, "owner_agency_id": agency.slug}, headers=h
        )
        ids = [a["id"] for a in got.json()["items"]]
        expected = [action["id"], undated["id"]] if rag == "green" else [action["id"]]
        assert sorted(ids) == sorted(expected), rag
        assert all(a["rag_status"] == rag for a in got.json()["items"])
    ordered = client.get(
        ACTIONS,
        params={"sort": "due_date", "owner_agency_id": str(agency.id), "limit": 2},
        headers=h,
    )
    first = [a["id"] for a in ordered.json()["items"]]
    rest = client.get(
        ACTIONS,
        params={
            "sort": "due_date",
            "owner_agency_id": str(agency.id),
            "limit": 2,
            "cursor": ordered.json()["next_cursor"],
        },
        headers=h,
    )
    assert first + [a["id"] for a in rest.json()["items"]] == [
        made["red"]["id"],
        made["amber"]["id"],
        made["green"]["id"],
        undated["id"],
    ]
