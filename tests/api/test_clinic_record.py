"""A client's record as the clinic sees it, and changes to the client's profile."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Client, PlanOccurrence
from tests.support.clinics import add_events
from tests.support.factories import booked

CLIENTS_URL = "/api/v1/clinic/clients"


def record_url(client_id):
    return f"{CLIENTS_URL}/{client_id}"


def tick(occurrence, at, action="done", event_id="00000000-0000-4000-8000-000000000001"):
    return {"id": event_id, "occurrence": occurrence, "action": action, "at": at}


def audit_trail(app, client_id):
    with app.app_context():
        query = select(AuditEntry).where(AuditEntry.client_id == client_id).order_by(AuditEntry.id)
        return [(e.action, e.detail) for e in db.session.scalars(query)]


def test_the_record_shows_profile_sessions_devices_and_the_event_log(
    app, client, world, clinician, now
):
    plan = client.get("/api/v1/me/plan", headers=world.a.phone).get_json()
    first, second = plan["occurrences"][0]["id"], plan["occurrences"][1]["id"]
    synced = client.post(
        "/api/v1/me/sync",
        headers=world.a.phone,
        json={
            "events": [
                tick(first, "2026-03-18T09:00:00.000+05:30"),
                tick(
                    second,
                    "2026-03-18T10:00:00.250Z",
                    event_id="0000000f-0000-4000-8000-0000000000ff",
                ),
            ],
            "timezone": "Asia/Kolkata",
        },
    )
    assert synced.status_code == 200, synced.get_json()

    response = clinician.get(record_url(world.a.client_id))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["name"], body["timezone"], body["wake"], body["bed"]) == (
        "Sam",
        "Europe/London",
        "07:00",
        "23:00",
    )
    assert body["answers"] == {"hair_length": "shaved"}
    assert body["protocol"]["bundle_version"] == plan["bundle_version"]
    assert body["plan"]["version"] == plan["version"]
    assert [(s["id"], s["number"], s["final"]) for s in body["sessions"]] == [
        (world.a.past_session_id, 1, False),
        (world.a.future_session_id, 2, True),
    ]
    assert body["sessions"][1]["start"] == "2026-04-14T13:00:00+01:00"  # London summer time
    assert body["devices"] == [
        {
            "id": world.a.device_id,
            "label": "phone",
            "timezone": "Asia/Kolkata",
            "created_at": booked(now).isoformat(),
            "last_seen_at": now.isoformat(),
            "revoked_at": None,
        }
    ]
    task = {o["id"]: o["task"] for o in plan["occurrences"]}
    assert body["events"] == [
        {
            "event_id": "0000000f-0000-4000-8000-0000000000ff",
            "occurrence_id": second,
            "task_id": task[second],
            "action": "done",
            "device_at": "2026-03-18T10:00:00.250000+00:00",
            "received_at": now.isoformat(),
            "device_id": world.a.device_id,
        },
        {
            "event_id": "00000000-0000-4000-8000-000000000001",
            "occurrence_id": first,
            "task_id": task[first],
            "action": "done",
            "device_at": "2026-03-18T09:00:00+05:30",
            "received_at": now.isoformat(),
            "device_id": world.a.device_id,
        },
    ]
    assert body["events_more"] is False
    assert body["summary"]["last_sync"] == now.isoformat()
    assert audit_trail(app, world.a.client_id) == [("client.view", {})]


def test_the_event_log_is_capped_newest_first(app, world, clinician, now):
    with app.app_context():
        occurrence = db.session.scalar(
            select(PlanOccurrence.occurrence_id).where(
                PlanOccurrence.client_id == world.a.client_id
            )
        )
    at = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)
    events = [
        (
            occurrence,
            ("done", "undone")[n % 2],
            at + timedelta(seconds=n),
            f"{n:08x}-0000-4000-8000-000000000000",
        )
        for n in range(502)
    ]
    add_events(app, world.a.client_id, events, received_at=now)
    body = clinician.get(record_url(world.a.client_id)).get_json()
    assert len(body["events"]) == 500 and body["events_more"] is True
    assert body["events"][0]["event_id"].startswith(f"{501:08x}")
    assert body["events"][-1]["event_id"].startswith(f"{2:08x}")


def test_another_clinics_client_looks_exactly_like_no_client(app, world, clinician):
    unknown = clinician.get(record_url(999999))
    foreign = clinician.get(record_url(world.b.client_id))
    assert unknown.status_code == foreign.status_code == 404
    assert unknown.get_json() == foreign.get_json()
    assert clinician.get(record_url(2**40)).status_code == 404
    assert audit_trail(app, world.b.client_id) == []


def _occurrence_times(app, client_id) -> dict[str, tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(
                PlanOccurrence.occurrence_id, PlanOccurrence.due_start, PlanOccurrence.active
            ).where(PlanOccurrence.client_id == client_id)
        )
        return {occurrence: (due_start, active) for occurrence, due_start, active in rows}


def test_the_profile_can_be_changed_and_the_plan_follows(app, world, clinician, now):
    before = clinician.get(record_url(world.a.client_id)).get_json()
    old = _occurrence_times(app, world.a.client_id)
    response = clinician.patch(
        record_url(world.a.client_id),
        json={
            "name": "Samuel",
            "contact": "sam@example.com",
            "timezone": "Australia/Sydney",
            "answers": {"hair_length": "shaved"},
            "wake": "05:00",
            "bed": "01:00",
        },
    )
    assert response.status_code == 200, response.get_json()
    after = response.get_json()
    assert (after["name"], after["contact"], after["timezone"]) == (
        "Samuel",
        "sam@example.com",
        "Australia/Sydney",
    )
    assert (after["wake"], after["bed"]) == ("05:00", "01:00")
    assert after["plan"]["version"] != before["plan"]["version"]
    assert after["plan"]["built_at"] == now.isoformat()
    assert audit_trail(app, world.a.client_id)[-1] == (
        "client.update",  # the fields whose value changed: hair length was "shaved" already
        {"fields": ["bed", "contact", "name", "timezone", "wake"]},
    )
    with app.app_context():
        stored = db.session.get(Client, world.a.client_id)
        assert stored.plan.content["timezone"] == "Australia/Sydney"
    # The same task on the same day after its session, in the same slot, keeps its id (and
    # the ticks on it) at its new time; none is ever lost.
    new = _occurrence_times(app, world.a.client_id)
    assert old.keys() <= new.keys()
    assert any(new[i][1] and new[i][0] != old[i][0] for i in old)


def test_an_empty_contact_clears_it(world, clinician):
    url = record_url(world.a.client_id)
    clinician.patch(url, json={"contact": "0123"})
    assert clinician.patch(url, json={"contact": " "}).get_json()["contact"] is None
    clinician.patch(url, json={"contact": "0123"})
    assert clinician.patch(url, json={"contact": None}).get_json()["contact"] is None


def test_events_survive_a_profile_change(client, world, clinician):
    plan = client.get("/api/v1/me/plan", headers=world.a.phone).get_json()
    event = tick(plan["occurrences"][0]["id"], "2026-03-18T09:00:00.000Z")
    client.post("/api/v1/me/sync", headers=world.a.phone, json={"events": [event]})
    changed = clinician.patch(record_url(world.a.client_id), json={"timezone": "Asia/Tokyo"})
    assert [e["event_id"] for e in changed.get_json()["events"]] == [event["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": {"hair_length": "purple"}}, "answers"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"wake": "20:00"}, "wake"),  # 20:00 to 23:00 is too short a day
        ({"bed": "09:00"}, "bed"),
        ({"name": "Sam\x00"}, "name"),
        ({"protocol_id": "smp-faq"}, "protocol_id"),  # not changeable here
    ],
)
def test_profile_changes_are_validated_and_change_nothing_on_error(
    app, world, clinician, change, field
):
    response = clinician.patch(record_url(world.a.client_id), json=change)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == [field]
    with app.app_context():
        stored = db.session.get(Client, world.a.client_id)
        assert (stored.timezone, stored.wake_time.hour, stored.name) == ("Europe/London", 7, "Sam")


def test_another_clinics_client_cannot_be_changed(app, world, clinician):
    response = clinician.patch(record_url(world.b.client_id), json={"name": "Mallory"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Client, world.b.client_id).name == "Kim"
