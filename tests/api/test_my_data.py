"""A client's own data: GET /api/v1/me/export and POST /api/v1/me/deletion-request."""

import json
from datetime import timedelta

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Device, EnrollmentCode, PushSubscription, Reminder
from tests.support.phones import tick

EXPORT = "/api/v1/me/export"
DELETION = "/api/v1/me/deletion-request"


def subscribe(app, device_id, now, endpoint="https://fcm.googleapis.com/fcm/send/sam-phone"):
    """A push subscription for the device and one reminder sent to it."""
    with app.app_context():
        device = db.session.get(Device, device_id)
        subscription = PushSubscription(
            device_id=device.id, endpoint=endpoint, p256dh="BPUBLIC", auth="SECRETAUTH"
        )
        db.session.add(subscription)
        db.session.flush()
        db.session.add(
            Reminder(
                subscription_id=subscription.id,
                client_id=device.client_id,
                key="2026-03-20|morning",
                slot="morning",
                occurrence_ids=["a1"],
                task_ids=["cleanse"],
                due_at=now,
                expires_at=now + timedelta(minutes=30),
                state="sent",
                attempts=1,
                sent_at=now,
            )
        )
        db.session.commit()


def secrets_of(app, client_id):
    """Every stored secret about the client: token and code hashes, push auth keys."""
    with app.app_context():
        devices = select(Device.id).where(Device.client_id == client_id)
        return [
            *db.session.scalars(select(Device.token_hash).where(Device.client_id == client_id)),
            *db.session.scalars(
                select(EnrollmentCode.code_hash).where(EnrollmentCode.client_id == client_id)
            ),
            *db.session.scalars(
                select(PushSubscription.auth).where(PushSubscription.device_id.in_(devices))
            ),
        ]


def test_the_export_holds_everything_stored_about_the_client(app, client, enrolled, now):
    plan = client.get("/api/v1/me/plan", headers=enrolled.phone).get_json()
    events = [
        tick(enrolled.occurrences[0], at="2026-03-20T09:15:00.000+02:00"),
        tick(enrolled.occurrences[0], "undone", at="2026-03-20T04:20:00.000-05:00"),
    ]
    synced = client.post(
        "/api/v1/me/sync", json={"events": events, "cursor": None}, headers=enrolled.tablet
    )
    assert synced.status_code == 200
    with app.app_context():
        phone_id = db.session.scalar(
            select(Device.id).where(Device.client_id == enrolled.client_id, Device.label == "phone")
        )
    subscribe(app, phone_id, now)

    response = client.get(EXPORT, headers=enrolled.phone)

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="aftercue-my-data-2026-03-20.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["format"] == "aftercue-client-data/1"
    assert data["clinic"] == {"name": "Clinic A"}
    profile = data["client"]
    assert (profile["id"], profile["name"], profile["timezone"]) == (
        enrolled.client_id,
        "Sam",
        "Europe/London",
    )
    assert profile["answers"] == {"hair_length": "shaved"}
    assert profile["reminders"] == {
        "enabled": True,
        "discreet": False,
        "quiet_start": None,
        "quiet_end": None,
    }
    assert len(data["treatment_sessions"]) == 2
    assert data["plan"]["version"] == plan["version"]
    assert data["plan"]["content"]["occurrences"] == plan["occurrences"]
    assert {o["occurrence_id"] for o in data["task_occurrences"]} == set(enrolled.occurrences)
    # Each tick with the phone's own time and offset, and when the server received it.
    assert [
        (e["event_id"], e["action"], e["device_at"], e["received_at"])
        for e in data["adherence_events"]
    ] == [
        (events[0]["id"], "done", "2026-03-20T09:15:00+02:00", now.isoformat()),
        (events[1]["id"], "undone", "2026-03-20T04:20:00-05:00", now.isoformat()),
    ]
    assert sorted(d["label"] for d in data["devices"]) == ["phone", "tablet"]
    [subscription] = data["push_subscriptions"]
    assert subscription["endpoint"] == "https://fcm.googleapis.com/fcm/send/sam-phone"
    assert subscription["device_id"] == phone_id
    [reminder] = data["reminders"]
    assert (reminder["slot"], reminder["state"], reminder["occurrence_ids"]) == (
        "morning",
        "sent",
        ["a1"],
    )
    [code] = data["enrollment_codes"]
    assert code["used_at"] is None and "code_hash" not in code
    for secret in secrets_of(app, enrolled.client_id):
        assert secret not in response.text
    for field in ("token_hash", "code_hash", "p256dh", "auth"):
        assert f'"{field}"' not in response.text


def test_a_client_sees_only_their_own_data(client, world):
    plan = client.get("/api/v1/me/plan", headers=world.a.phone).get_json()
    event = tick(plan["occurrences"][0]["id"])
    synced = client.post(
        "/api/v1/me/sync", json={"events": [event], "cursor": None}, headers=world.a.phone
    )
    assert synced.get_json()["accepted"] == [event["id"]]
    response = client.get(EXPORT, headers=world.b.phone)
    theirs = response.get_json()
    assert theirs["client"]["id"] == world.b.client_id
    assert theirs["client"]["name"] == "Kim" and theirs["clinic"] == {"name": "Clinic B"}
    assert theirs["adherence_events"] == []
    assert world.a.device_id not in [d["id"] for d in theirs["devices"]]
    assert event["id"] not in response.text
    assert '"Sam"' not in response.text and "Clinic A" not in response.text
    mine = client.get(EXPORT, headers=world.a.phone).get_json()
    assert [e["event_id"] for e in mine["adherence_events"]] == [event["id"]]


def test_the_export_needs_a_signed_in_device(app, client, enrolled, now):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic x"}):
        response = client.get(EXPORT, headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="aftercue"'
    assert client.delete("/api/v1/me/device", headers=enrolled.phone).status_code == 204
    assert client.get(EXPORT, headers=enrolled.phone).status_code == 401
    assert client.post(DELETION, headers=enrolled.phone).status_code == 401
    response = client.post(EXPORT, headers=enrolled.tablet)
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_the_export_is_in_the_clinic_s_audit_log(app, client, enrolled, now):
    client.get(EXPORT, headers=enrolled.phone)
    with app.app_context():
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "app.export"))
        assert (entry.client_id, entry.clinician_id, entry.at) == (enrolled.client_id, None, now)


def test_asking_for_deletion_is_stored_once_with_its_first_date(app, client, world, now):
    response = client.post(DELETION, headers=world.a.phone)
    assert response.status_code == 200
    assert response.get_json() == {
        "requested_at": now.isoformat(),
        "delete_by": (now + timedelta(days=30)).isoformat(),
    }
    app.config["CLOCK"] = lambda: now + timedelta(days=2)
    again = client.post(DELETION, headers=world.a.phone, json={"ignored": True})
    assert again.status_code == 200 and again.get_json() == response.get_json()

    me = client.get("/api/v1/me", headers=world.a.phone).get_json()
    assert me["deletion_requested_at"] == now.isoformat()
    other = client.get("/api/v1/me", headers=world.b.phone).get_json()
    assert other["deletion_requested_at"] is None
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "app.deletion_request")
        ).all()
        assert [(e.client_id, e.clinic_id, e.clinician_id, e.at) for e in entries] == [
            (world.a.client_id, world.a.clinic_id, None, now)
        ]


def test_the_clinic_s_record_shows_the_request(client, world, clinician, now):
    record = f"/api/v1/clinic/clients/{world.a.client_id}"
    assert clinician.get(record).get_json()["deletion_requested_at"] is None
    client.post(DELETION, headers=world.a.phone)
    assert clinician.get(record).get_json()["deletion_requested_at"] == now.isoformat()


def test_the_export_is_sent_as_read_and_is_the_schema_s_dump(app, client, enrolled, now):
    from server.phone import my_data
    from server.schemas.export import ExportSchema

    with app.app_context():
        phone_id = db.session.scalar(
            select(Device.id).where(Device.client_id == enrolled.client_id, Device.label == "phone")
        )
    subscribe(app, phone_id, now)
    response = client.get(EXPORT, headers=enrolled.phone)
    assert response.is_streamed and response.mimetype == "application/json"
    sent = response.get_json()
    with app.test_request_context():
        data = my_data.export(db.session.get(Device, phone_id), now)
        whole = {
            key: list(value) if hasattr(value, "__next__") else value for key, value in data.items()
        }
        assert sent == json.loads(json.dumps(ExportSchema().dump(whole)))
        db.session.rollback()
    assert len(sent["task_occurrences"]) > 10 and len(sent["reminders"]) == 1
