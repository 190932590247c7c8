"""The clinic's client list and records: adherence counted in SQL, search, paging, audit."""

from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest
from sqlalchemy import event, select

from server.domain.sync import Event, done
from server.extensions import db
from server.models import AuditEntry, Device, PlanOccurrence
from tests.support.clinics import add_client, add_events

CLIENTS_URL = "/api/v1/clinic/clients"
IST = timezone(timedelta(hours=5, minutes=30))


def occurrences(app, client_id, now):
    """(due and required, not yet due) occurrence ids of a client, each sorted."""
    with app.app_context():
        rows = db.session.scalars(
            select(PlanOccurrence)
            .where(PlanOccurrence.client_id == client_id, PlanOccurrence.active.is_(True))
            .order_by(PlanOccurrence.due_end, PlanOccurrence.occurrence_id)
        ).all()
        due = [r.occurrence_id for r in rows if r.due_end <= now and not r.optional]
        later = [r.occurrence_id for r in rows if r.due_end > now]
        return due, later


def set_occurrence(app, client_id, occurrence_id, **values):
    with app.app_context():
        row = db.session.get(PlanOccurrence, (client_id, occurrence_id))
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def listed(browser, **query):
    response = browser.get(CLIENTS_URL, query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_adherence_follows_the_latest_event_of_each_due_occurrence(app, world, clinician, now):
    client_id = add_client(app, now, world.a.clinic_id, "Ivy", session_days=(-6, 20))
    due, later = occurrences(app, client_id, now)
    assert len(due) >= 10 and later
    t1 = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)
    t2 = t1 + timedelta(minutes=5)
    events = [
        (due[0], "done", t1, "11111111-0000-4000-8000-000000000001"),
        # Unticked later: not done.
        (due[1], "done", t1, "11111111-0000-4000-8000-000000000002"),
        (due[1], "undone", t2, "11111111-0000-4000-8000-000000000003"),
        # The untick arrived first but happened later on the device: not done.
        (due[2], "undone", t2, "11111111-0000-4000-8000-000000000004"),
        (due[2], "done", t1, "11111111-0000-4000-8000-000000000005"),
        # Same device time: the greater event id wins; here the tick.
        (due[3], "undone", t1, "00000000-0000-4000-8000-000000000006"),
        (due[3], "done", t1, "ffffffff-0000-4000-8000-000000000007"),
        # ...and here the untick.
        (due[4], "done", t1, "10000000-0000-4000-8000-000000000008"),
        (due[4], "undone", t1, "f0000000-0000-4000-8000-000000000009"),
        (due[8], "undone", t1, "11111111-0000-4000-8000-00000000000a"),
        (due[8], "done", t1, "eeeeeeee-0000-4000-8000-00000000000b"),
        # 10:00 in India is 04:30 UTC, before the 05:00 UTC untick: not done.
        (
            due[5],
            "done",
            datetime(2026, 3, 18, 10, 0, tzinfo=IST),
            "2222aaaa-0000-4000-8000-0000000a",
        ),
        (
            due[5],
            "undone",
            datetime(2026, 3, 18, 5, 0, tzinfo=UTC),
            "2222aaaa-0000-4000-8000-0000000b",
        ),
        # Done, but not counted: not due yet, optional, or dropped from the plan.
        (later[0], "done", t1, "33333333-0000-4000-8000-000000000001"),
        (due[6], "done", t1, "33333333-0000-4000-8000-000000000002"),
        (due[7], "done", t1, "33333333-0000-4000-8000-000000000003"),
    ]
    events = [(o, a, at, i.ljust(36, "0")) for o, a, at, i in events]
    add_events(app, client_id, events, received_at=now)
    set_occurrence(app, client_id, due[6], optional=True)
    set_occurrence(app, client_id, due[7], active=False)

    summary = listed(clinician, q="Ivy")["clients"][0]["summary"]
    counted = len(due) - 2
    assert summary["due_so_far"] == counted
    assert summary["done"] == 3
    assert summary["adherence"] == pytest.approx(3 / counted)
    # The documented rule, applied in Python, agrees with the SQL.
    folded = done(Event(UUID(i), o, a, at) for o, a, at, i in events)
    assert folded & set(due[:6] + due[8:]) == {due[0], due[3], due[8]}


def test_nothing_due_yet_means_no_adherence_figure(app, world, clinician, now):
    add_client(app, now, world.a.clinic_id, "Newcomer", session_days=(5,), phone=False)
    rows = {row["name"]: row["summary"] for row in listed(clinician)["clients"]}
    assert rows["Newcomer"] == {
        "due_so_far": 0,
        "done": 0,
        "adherence": None,
        "missed_critical": 0,
        "last_sync": None,
        "next_session": (now + timedelta(days=5)).isoformat(),
        "last_session": None,
    }


def test_clients_are_listed_least_adherent_first_then_by_name(app, world, clinician, now):
    for name in ("bea", "Abe"):
        add_client(app, now, world.a.clinic_id, name, session_days=(-3,))
    add_client(app, now, world.a.clinic_id, "Zoe", session_days=(10,))
    add_client(app, now, world.a.clinic_id, "amy", session_days=(10,))
    diligent = add_client(app, now, world.a.clinic_id, "Dee", session_days=(-3,))
    due, _ = occurrences(app, diligent, now)
    add_events(
        app,
        diligent,
        [
            (o, "done", now - timedelta(hours=1), f"{n:08x}-0000-4000-8000-000000000000")
            for n, o in enumerate(due)
        ],
        received_at=now,
    )
    names = [row["name"] for row in listed(clinician)["clients"]]
    # Sam, Abe and bea have done nothing (0.0); Dee everything (1.0); amy and Zoe have nothing due.
    assert names == ["Abe", "bea", "Sam", "Dee", "amy", "Zoe"]


def test_last_sync_is_the_latest_of_the_clients_devices(app, world, clinician, now):
    with app.app_context():
        device = db.session.get(Device, world.a.device_id)
        device.last_seen_at = now - timedelta(days=2)
        other = Device(
            client_id=world.a.client_id, token_hash="x" * 64, last_seen_at=now - timedelta(hours=3)
        )
        db.session.add(other)
        db.session.commit()
    summary = listed(clinician)["clients"][0]["summary"]
    assert summary["last_sync"] == (now - timedelta(hours=3)).isoformat()
    assert summary["last_session"] == (now - timedelta(days=3)).isoformat()
    assert summary["next_session"] == (now + timedelta(days=25)).isoformat()


def test_search_is_by_name_ignoring_case_with_wildcards_taken_literally(app, world, clinician, now):
    for name in ("Samantha Jones", "Jo_Bloggs", "JoXBloggs", "100% Sam"):
        add_client(app, now, world.a.clinic_id, name)
    assert {r["name"] for r in listed(clinician, q="SAM")["clients"]} == {
        "Sam",
        "Samantha Jones",
        "100% Sam",
    }
    assert [r["name"] for r in listed(clinician, q="o_b")["clients"]] == ["Jo_Bloggs"]
    assert [r["name"] for r in listed(clinician, q="%")["clients"]] == ["100% Sam"]
    assert listed(clinician, q="Kim")["clients"] == []  # clinic B's client


def test_the_list_is_paged(app, world, clinician, now):
    for name in ("B", "C", "D", "E"):
        add_client(app, now, world.a.clinic_id, name, session_days=(10,))
    first = listed(clinician, per_page=2)
    assert [r["name"] for r in first["clients"]] == ["Sam", "B"]
    assert (first["page"], first["per_page"], first["total"]) == (1, 2, 5)
    assert [r["name"] for r in listed(clinician, per_page=2, page=3)["clients"]] == ["E"]
    beyond = listed(clinician, per_page=2, page=9)
    assert beyond["clients"] == [] and beyond["total"] == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
        ({"per_page": 101}, "per_page"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_list_parameters_are_field_errors(clinician, query, field):
    response = clinician.get(CLIENTS_URL, query_string=query)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == [field]


def test_the_list_takes_the_same_number_of_queries_for_any_number_of_clients(
    app, world, clinician, now
):
    def statements():
        seen = []

        def count(conn, cursor, statement, *args):
            seen.append(statement)

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                listed(clinician)
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
        return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])

    few = statements()
    for n in range(5):
        add_client(app, now, world.a.clinic_id, f"Extra {n}")
    assert statements() == few


def test_listing_is_audited(app, world, clinician, now):
    listed(clinician, q="sam", page=1)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.action, entry.client_id, entry.detail) == (
            "clients.list",
            None,
            {"q": "sam", "flag": None},
        )
        assert (entry.clinic_id, entry.at) == (world.a.clinic_id, now)
