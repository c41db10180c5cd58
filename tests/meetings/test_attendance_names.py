"""Attendance names are live (contract §12): a row keeps a name only when the attendee was
given one of its own; an agency's name is looked up when the meeting is read, so renaming the
agency renames it on every meeting, with no extra query per page."""

import json
import uuid
from datetime import UTC, datetime

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from oversight.accounts.models import Agency
from oversight.db import make_engine, migrations
from oversight.meetings.models import Meeting
from tests.support.admin import AGENCIES
from tests.support.meetings import MEETINGS, MINUTES, create_meeting, if_match, write_minutes


def _rename(client, admin_headers, agency, name: str) -> None:
    url = f"{AGENCIES}/{agency.id}"
    version = client.get(url, headers=admin_headers).json()["version"]
    r = client.patch(url, json={"name": name}, headers=if_match(admin_headers, version))
    assert r.status_code == 200, r.text


def test_renaming_an_agency_renames_it_in_attendance(client, db, factory, auth):
    police = factory.agency(name="Northshire Police")
    editor = factory.user(roles=["editor"])
    admin = factory.user(roles=["admin"])
    attendance = [
        {"agency_id": str(police.id), "status": "present"},
        {"agency_id": str(police.id), "name": "DS Jo Pritchard", "status": "present"},
        {"name": "Chamber of Commerce (observer)", "status": "absent"},
    ]
    m = create_meeting(client, auth(editor), attendance=attendance)
    assert [a["name"] for a in m["attendance"]] == [
        "Northshire Police",
        "DS Jo Pritchard",
        "Chamber of Commerce (observer)",
    ]
    # What the row stores: the attendee's own name only.
    stored = db.scalar(select(Meeting.attendance).where(Meeting.id == uuid.UUID(m["id"])))
    assert [row["name"] for row in stored] == [
        None,
        "DS Jo Pritchard",
        "Chamber of Commerce (observer)",
    ]

    _rename(client, auth(admin), police, "Northshire Constabulary")
    reader = auth(factory.user())
    one = client.get(f"{MEETINGS}/{m['id']}", headers=reader).json()
    listed = client.get(MEETINGS, params={"limit": 200}, headers=reader).json()["items"]
    [same] = [i for i in listed if i["id"] == m["id"]]
    for shown in (one, same):
        assert shown["attendance"] == [
            {"agency_id": str(police.id), "name": "Northshire Constabulary", "status": "present"},
            {"agency_id": str(police.id), "name": "DS Jo Pritchard", "status": "present"},
            {"agency_id": None, "name": "Chamber of Commerce (observer)", "status": "absent"},
        ]


def _selects(engine, call) -> int:
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(seen)


def test_a_page_of_meetings_costs_the_same_at_any_size(client, factory, auth, connection):
    """A page of meetings costs the token check and the page (its owners' and chairs' names
    read with it), one statement more for the attendance agencies that are not among those
    names, and one more for the minutes when any meeting of the page has them: the same at 2
    items as at 50."""
    agency = factory.agency()
    editor = factory.user(agency, roles=["editor"])
    chair = factory.user()
    agencies = [factory.agency() for _ in range(6)]
    for n in range(50):
        attendance = [
            {"agency_id": str(a.id), "status": "present"} for a in agencies[n % 3 : n % 3 + 4]
        ]
        attendance.append({"name": f"Observer {n}", "status": "absent"})
        create_meeting(client, auth(editor), chair_user_id=str(chair.id), attendance=attendance)
    h = auth(editor)
    engine = connection.engine

    def cost(limit: int) -> int:
        return _selects(engine, lambda: client.get(MEETINGS, params={"limit": limit}, headers=h))

    page = client.get(MEETINGS, params={"limit": 50}, headers=h)
    assert {a["name"] for i in page.json()["items"] for a in i["attendance"]} >= {
        a.name for a in agencies
    }
    assert cost(2) == cost(50) == 3
    # Attendance of the owning agency alone: its name came with the page.
    own = [{"agency_id": str(agency.id), "status": "present"}]
    for _ in range(2):
        create_meeting(client, h, held_at="2099-01-01T10:00:00Z", attendance=own)
    assert cost(2) == 2
    (newest, *_) = client.get(MEETINGS, params={"limit": 1}, headers=h).json()["items"]
    write_minutes(client, h, newest)
    assert cost(2) == 3
    listed = client.get(MEETINGS, params={"limit": 2}, headers=h).json()["items"]
    assert listed[0]["minutes"]["body"] == MINUTES and listed[1]["minutes"] is None
    assert [a["name"] for a in listed[1]["attendance"]] == [agency.name]


def _meeting_row(agency_id: uuid.UUID, attendance: list[dict]) -> dict:
    """A meeting as a bulk load writes it: straight into the table."""
    now = datetime(2026, 3, 12, 10, tzinfo=UTC)
    return {
        "id": uuid.uuid4(),
        "title": "Board",
        "held_at": now,
        "agenda": [],
        "attendance": attendance,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "agency_id": agency_id,
        "tlp": "GREEN",
        "protective_marking": "OFFICIAL",
        "recipient_agencies": [],
        "recipient_users": [],
        "names_agencies": False,
    }


def test_migration_0014_keeps_only_attendees_own_names_and_back(databases):
    engine = make_engine(databases.new_url())
    try:
        migrations.upgrade(engine, "0013")
        with Session(engine) as session:
            police = Agency(name="Northshire Police", slug="police", sector="police")
            council = Agency(name="Eastvale Council", slug="eastvale", sector="local_authority")
            session.add_all([police, council])
            session.flush()
            p, c = str(police.id), str(council.id)
            copied = [
                {"agency_id": p, "name": "Northshire Police", "status": "present"},
                {"agency_id": p, "name": "DS Jo Pritchard", "status": "present"},
                {"agency_id": c, "name": "Eastvale District Council", "status": "apologies"},
                {"agency_id": None, "name": "Observer", "status": "absent"},
            ]
            row = _meeting_row(police.id, copied)
            empty = _meeting_row(police.id, [])
            session.execute(insert(Meeting.__table__), [row, empty])
            session.commit()

        def attendance(meeting_id: uuid.UUID) -> list:
            with engine.connect() as conn:
                got = conn.scalar(select(Meeting.attendance).where(Meeting.id == meeting_id))
            return json.loads(got) if isinstance(got, str) else got

        migrations.upgrade(engine)
        # The copy of the agency's current name goes; an own name, an observer's, and a
        # name the agency no longer has (it cannot be told from an own name) stay.
        assert [a["name"] for a in attendance(row["id"])] == [
            None,
            "DS Jo Pritchard",
            "Eastvale District Council",
            "Observer",
        ]
        assert attendance(empty["id"]) == []
        with engine.begin() as conn:
            conn.execute(update(Agency).where(Agency.id == row["agency_id"]).values(name="Const"))
        migrations.downgrade(engine, "0013")
        # Back: a row without a name of its own gets its agency's name, as before 0014.
        assert [a["name"] for a in attendance(row["id"])] == [
            "Const",
            "DS Jo Pritchard",
            "Eastvale District Council",
            "Observer",
        ]
        assert [a["agency_id"] for a in attendance(row["id"])] == [p, p, c, None]
        assert attendance(empty["id"]) == []
    finally:
        engine.dispose()
