"""Adding, moving and cancelling treatment sessions: the plan is rebuilt, events stay."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEntry, PlanOccurrence, TreatmentSession

CLIENTS_URL = "/api/v1/clinic/clients"


def sessions_url(client_id, session_id=None):
    url = f"{CLIENTS_URL}/{client_id}/sessions"
    return url if session_id is None else f"{url}/{session_id}"


def times(now, days, hours=4):
    start = now + timedelta(days=days)
    return {"start": start.isoformat(), "end": (start + timedelta(hours=hours)).isoformat()}


def last_audit(app):
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        return entry.action, entry.client_id, entry.detail


def session_count(app, client_id):
    with app.app_context():
        query = select(func.count()).where(TreatmentSession.client_id == client_id)
        return db.session.scalar(query)


def test_adding_a_session_rebuilds_the_plan(app, world, clinician, now):
    before = clinician.get(f"{CLIENTS_URL}/{world.a.client_id}").get_json()
    response = clinician.post(sessions_url(world.a.client_id), json=times(now, 50))
    assert response.status_code == 201
    body = response.get_json()
    assert [s["number"] for s in body["sessions"]] == [1, 2, 3]
    assert [s["final"] for s in body["sessions"]] == [False, False, True]
    assert body["plan"]["version"] != before["plan"]["version"]
    added = body["sessions"][2]
    action, client_id, detail = last_audit(app)
    assert (action, client_id) == ("session.add", world.a.client_id)
    assert detail == {
        "session_id": added["id"],
        "start": (now + timedelta(days=50)).isoformat(),
        "end": (now + timedelta(days=50, hours=4)).isoformat(),
    }


def test_a_client_has_at_most_twelve_sessions(app, world, clinician, now):
    for days in range(30, 40):
        assert (
            clinician.post(sessions_url(world.a.client_id), json=times(now, days)).status_code
            == 201
        )
    response = clinician.post(sessions_url(world.a.client_id), json=times(now, 60))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "too_many_sessions"
    assert session_count(app, world.a.client_id) == 12


def test_moving_a_session_reorders_the_sessions(app, world, clinician, now):
    url = sessions_url(world.a.client_id, world.a.future_session_id)
    response = clinician.patch(url, json=times(now, -10))
    assert response.status_code == 200
    sessions = response.get_json()["sessions"]
    assert [(s["id"], s["number"], s["final"]) for s in sessions] == [
        (world.a.future_session_id, 1, False),
        (world.a.past_session_id, 2, True),
    ]
    action, client_id, detail = last_audit(app)
    assert (action, client_id, detail["session_id"], detail["was"]["start"]) == (
        "session.reschedule",
        world.a.client_id,
        world.a.future_session_id,
        (now + timedelta(days=25)).isoformat(),
    )


def test_a_begun_session_is_corrected_alike_by_moving_or_removing_it(app, world, clinician, now):
    """One rule for a session that has begun: moved or removed, it is a correction of the
    record, and the audit says what it was."""
    url = sessions_url(world.a.client_id, world.a.past_session_id)
    assert clinician.patch(url, json=times(now, -4)).status_code == 200
    action, _, detail = last_audit(app)
    assert (action, detail["was"]["start"]) == ("session.reschedule", times(now, -3)["start"])
    response = clinician.delete(url)
    assert response.status_code == 200, response.get_json()
    assert session_count(app, world.a.client_id) == 1
    action, _, detail = last_audit(app)
    assert (action, detail["start"], detail["begun"]) == (
        "session.remove",
        times(now, -4)["start"],
        True,
    )


def test_removing_a_future_session_keeps_events_and_old_occurrences(
    app, client, world, clinician, now
):
    plan = client.get("/api/v1/me/plan", headers=world.a.phone).get_json()
    event = {
        "id": "00000000-0000-4000-8000-0000000000aa",
        "occurrence": plan["occurrences"][0]["id"],
        "action": "done",
        "at": "2026-03-18T09:00:00.000Z",
    }
    client.post("/api/v1/me/sync", headers=world.a.phone, json={"events": [event]})
    response = clinician.delete(sessions_url(world.a.client_id, world.a.future_session_id))
    assert response.status_code == 200
    body = response.get_json()
    assert [s["id"] for s in body["sessions"]] == [world.a.past_session_id]
    assert [e["event_id"] for e in body["events"]] == [event["id"]]
    assert last_audit(app)[0] == "session.remove"
    with app.app_context():
        dropped = select(func.count()).where(
            PlanOccurrence.client_id == world.a.client_id, PlanOccurrence.active.is_(False)
        )
        assert db.session.scalar(dropped) > 0
    # The phone sees the new plan.
    assert (
        client.get("/api/v1/me/plan", headers=world.a.phone).get_json()["version"]
        == (body["plan"]["version"])
    )


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_sessions_are_found_only_under_their_own_client(app, world, clinician, now, method):
    for client_id, session_id in (
        (world.a.client_id, world.b.future_session_id),  # clinic B's session under A's client
        (world.b.client_id, world.b.future_session_id),  # clinic B's client
        (world.a.client_id, 999999),
        (world.a.client_id, 2**40),
    ):
        url = sessions_url(client_id, session_id)
        response = getattr(clinician, method)(url, json=times(now, 30))
        assert response.status_code == 404, url
    assert session_count(app, world.b.client_id) == 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"start": "2026-04-01T10:00:00", "end": "2026-04-01T12:00:00Z"},
            {"start": ["Not a valid aware datetime."]},
        ),
        (
            {"start": "2026-04-01T10:00:00Z", "end": "2026-04-01T10:00:00Z"},
            {"end": ["Must be after start."]},
        ),
        ({"start": "2026-04-01T10:00:00Z"}, {"end": ["Missing data for required field."]}),
    ],
)
def test_session_times_are_validated(app, world, clinician, body, expected):
    for response in (
        clinician.post(sessions_url(world.a.client_id), json=body),
        clinician.patch(sessions_url(world.a.client_id, world.a.future_session_id), json=body),
    ):
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"] == expected
    assert session_count(app, world.a.client_id) == 2
