"""Correcting a past session's date (issue 16, point 3): ticks keep their meaning, and a task
the phone never had before it fell due is nobody's miss."""

from datetime import timedelta
from uuid import uuid4

from server.clinic.summaries import current
from server.extensions import db
from server.phone.devices import issue_device
from tests.support.factories import days_from, new_client, with_plan

CLIENTS_URL = "/api/v1/clinic/clients"


def scalp_nation_client(app, world, now) -> tuple[int, int, dict]:
    """A Scalp Nation client of clinic A whose session was three days ago, their phone
    connected that day: (client id, session id, the phone's headers)."""
    with app.app_context():
        client = new_client(
            clinic_id=world.a.clinic_id,
            created_at=now - timedelta(days=4),
            sessions=days_from(now, [-3]),
        )
        with_plan(client, app.extensions["protocols"], now)
        _, token = issue_device(client.id, "phone", now - timedelta(days=3))
        db.session.commit()
        return client.id, client.sessions[0].id, {"Authorization": f"Bearer {token}"}


def phone_plan(api, phone) -> list[dict]:
    response = api.get("/api/v1/me/plan", headers=phone)
    assert response.status_code == 200
    return response.get_json()["occurrences"]


def tick_everything_due(api, phone, occurrences, now) -> list[dict]:
    due = [o for o in occurrences if not o["optional"] and o["due_end"] <= now.isoformat()]
    events = [
        {"id": str(uuid4()), "occurrence": o["id"], "action": "done", "at": o["at"]} for o in due
    ]
    response = api.post("/api/v1/me/sync", headers=phone, json={"events": events, "cursor": None})
    assert response.status_code == 200, response.get_json()
    return due


def summary(clinician, client_id) -> tuple[int, int]:
    record = clinician.get(f"{CLIENTS_URL}/{client_id}").get_json()
    return record["summary"]["done"], record["summary"]["due_so_far"]


def healing_day(occurrence, session_day) -> int:
    from datetime import date

    return (date.fromisoformat(occurrence["date"]) - session_day).days + 1


def test_moving_a_session_one_day_earlier_keeps_eight_of_eight(app, world, clinician, now):
    client_id, session_id, phone = scalp_nation_client(app, world, now)
    api = app.test_client()
    ticked = tick_everything_due(api, phone, phone_plan(api, phone), now)
    assert summary(clinician, client_id) == (8, 8)

    earlier = now - timedelta(days=4)
    moved = clinician.patch(
        f"{CLIENTS_URL}/{client_id}/sessions/{session_id}",
        json={"start": earlier.isoformat(), "end": (earlier + timedelta(hours=4)).isoformat()},
    )
    assert moved.status_code == 200, moved.get_json()
    after = {o["id"]: o for o in phone_plan(api, phone)}

    # The same eight ticks, on the same days after the session and in the same slots.
    session_day = earlier.date()
    for before in ticked:
        now_is = after[before["id"]]
        assert (now_is["task"], now_is["slot"]) == (before["task"], before["slot"])
        assert healing_day(now_is, session_day) == healing_day(before, session_day + timedelta(1))
    # Each ticked balm still follows its own ticked cleanse.
    cleanses = {
        (after[o["id"]]["date"], o["slot"]): o["id"] for o in ticked if o["task"] == "cleanse"
    }
    balms = [after[o["id"]] for o in ticked if o["task"] == "balm"]
    assert balms and all(b["follows"] == cleanses[(b["date"], b["slot"])] for b in balms)
    # Tasks the correction dated in the past were never on the phone before they fell due.
    assert summary(clinician, client_id) == (8, 8)
    record = clinician.get(f"{CLIENTS_URL}/{client_id}").get_json()
    assert record["summary"]["missed_critical"] == 0


def test_the_clinic_sees_tasks_the_phone_never_had_as_not_missed(app, world, clinician, now):
    """The client's page and CSV say "not on the phone in time" for the day-4 tasks the
    correction dated yesterday, and "missed" for none."""
    client_id, session_id, phone = scalp_nation_client(app, world, now)
    api = app.test_client()
    tick_everything_due(api, phone, phone_plan(api, phone), now)
    earlier = now - timedelta(days=4)
    clinician.patch(
        f"{CLIENTS_URL}/{client_id}/sessions/{session_id}",
        json={"start": earlier.isoformat(), "end": (earlier + timedelta(hours=4)).isoformat()},
    )
    phone_plan(api, phone)
    page = clinician.get(f"/clinic/clients/{client_id}").text
    assert "✗ missed" not in page
    # Day 4's cleanse and balm, morning and evening: under the calendar's day and in the plan.
    assert page.count("not on the phone in time</span>") == 8
    csv = clinician.get(f"/clinic/clients/{client_id}/tasks.csv").get_data(as_text=True)
    assert ",missed," not in csv and csv.count(",not on the phone in time,") == 4


def test_a_task_counts_as_missed_once_the_phone_has_fetched_it(app, world, clinician, now):
    """A session added later brings tasks the phone gets with its next plan: missed once
    fetched and not done, never counted for a phone that did not fetch them."""
    api = app.test_client()
    fetched, _, phone = scalp_nation_client(app, world, now)
    never, _, _ = scalp_nation_client(app, world, now)
    for client_id in (fetched, never):
        added = clinician.post(
            f"{CLIENTS_URL}/{client_id}/sessions",
            json={
                "start": (now + timedelta(hours=2)).isoformat(),
                "end": (now + timedelta(hours=6)).isoformat(),
            },
        )
        assert added.status_code == 201, added.get_json()
    phone_plan(api, phone)
    later = now + timedelta(days=6)
    with app.app_context():
        due = {c: current(c, later).due for c in (fetched, never)}
    # Nothing ticked: the first session's tasks count for both, the new one's only once had.
    assert due[fetched] > due[never] > 0
