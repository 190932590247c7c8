"""The device API for reminders: VAPID key, subscriptions, preferences, snooze."""

import base64
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from server.extensions import db
from server.models import Device, PushSubscription
from server.reminders import subscriptions, vapid
from tests.support.subscribers import (
    SUBSCRIPTIONS,
    enroll,
    reminder_rows,
    subscribe,
    subscription_ids,
)

from .conftest import MORNING, SESSION

SETTINGS = "/api/v1/me/reminders"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_the_key_for_subscribing_is_the_one_pushes_are_signed_with(
    app, http, person, push_service, send_due
):
    response = http.get("/api/v1/push/key")
    assert response.status_code == 200
    key = response.get_json()["key"]
    assert key == vapid.application_server_key(app.config["VAPID_PRIVATE_KEY"])

    # A browser subscribed with this key accepts only pushes signed by it (RFC 8292 §4).
    subscription = subscribe(http, person.phone, push_service, application_server_key=key)
    assert send_due() == {"sent": 1}

    [message] = push_service.messages(subscription.id)
    assert (message.vapid_key, message.vapid_sub) == (key, app.config["VAPID_SUBJECT"])


def test_subscription_keys_are_validated(app, http, person, push_service):
    good = push_service.subscribe()
    p256dh, auth = good["keys"]["p256dh"], good["keys"]["auth"]
    bad = [
        ({"p256dh": p256dh[:-4], "auth": auth}, "p256dh"),  # too short
        ({"p256dh": b64(b"\x02" + bytes(64)), "auth": auth}, "p256dh"),  # not uncompressed
        ({"p256dh": b64(b"\x04" + bytes(64)), "auth": auth}, "p256dh"),  # not on the curve
        ({"p256dh": "not base64!", "auth": auth}, "p256dh"),
        ({"p256dh": p256dh, "auth": b64(bytes(15))}, "auth"),
        ({"p256dh": p256dh, "auth": b64(bytes(17))}, "auth"),
        ({"auth": auth}, "p256dh"),
        ({"p256dh": p256dh}, "auth"),
    ]
    for keys, field in bad:
        response = http.post(
            SUBSCRIPTIONS, json={"endpoint": good["endpoint"], "keys": keys}, headers=person.phone
        )
        assert response.status_code == 422, keys
        assert list(response.get_json()["error"]["fields"]["keys"]) == [field]
    response = http.post(SUBSCRIPTIONS, json={"endpoint": good["endpoint"]}, headers=person.phone)
    assert list(response.get_json()["error"]["fields"]) == ["keys"]
    assert http.post(SUBSCRIPTIONS, json=good).status_code == 401

    assert subscription_ids(app) == [] and reminder_rows(app) == []


def test_subscribing_plans_reminders_and_answers_the_settings(app, http, person, push_service):
    subscription = push_service.subscribe()
    response = http.post(SUBSCRIPTIONS, json=subscription, headers=person.phone)
    assert response.status_code == 201
    assert response.get_json() == {
        "enabled": True,
        "discreet": False,
        "quiet_start": None,
        "quiet_end": None,
        "subscribed": True,
    }
    keys = [r["key"] for r in reminder_rows(app)]
    assert keys[0] == MORNING and len(keys) == len(set(keys)) == 6  # days 3 and 4


def test_subscribing_again_moves_the_subscription_to_the_new_device(
    app, http, person, push_service, send_due
):
    subscription = subscribe(http, person.phones[0], push_service)
    planned = reminder_rows(app)

    assert http.post(SUBSCRIPTIONS, json=subscription, headers=person.phones[1]).status_code == 201

    assert len(subscription_ids(app)) == 1
    assert [r["id"] for r in reminder_rows(app)] == [r["id"] for r in planned]
    subscribed = [http.get(SETTINGS, headers=h).get_json()["subscribed"] for h in person.phones]
    assert subscribed == [False, True]
    assert send_due() == {"sent": 1}
    assert len(push_service.messages(subscription.id)) == 1


def test_a_browser_that_changes_hands_gets_only_its_new_clients_reminders(
    app, http, person, push_service, send_due, now
):
    subscription = subscribe(http, person.phone, push_service)
    other = enroll(app, now, SESSION)  # the same days, so the same reminder keys

    response = http.post(SUBSCRIPTIONS, json=subscription, headers=other.phone)

    assert response.status_code == 201
    assert {r["client_id"] for r in reminder_rows(app, state="pending")} == {other.client_id}
    assert send_due() == {"sent": 1}
    [message] = push_service.messages(subscription.id)
    [row] = reminder_rows(app, key=MORNING)
    assert message.payload["reminder"] == row["id"] and row["client_id"] == other.client_id


def test_unsubscribing_removes_the_subscription_and_its_reminders(
    app, http, person, push_service, send_due
):
    mine = subscribe(http, person.phones[0], push_service)
    theirs = subscribe(http, person.phones[1], push_service)
    first, second = subscription_ids(app)

    # Only the device that owns a subscription can remove it.
    gone = {"endpoint": mine["endpoint"]}
    assert http.delete(SUBSCRIPTIONS, json=gone, headers=person.phones[1]).status_code == 204
    assert subscription_ids(app) == [first, second]
    assert http.delete(SUBSCRIPTIONS, json=gone, headers=person.phones[0]).status_code == 204

    assert subscription_ids(app) == [second]
    assert reminder_rows(app, subscription_id=first) == []
    assert send_due() == {"sent": 1}
    assert push_service.messages(mine.id) == [] and len(push_service.messages(theirs.id)) == 1


def test_reminder_settings_round_trip_and_are_validated(app, http, person):
    assert http.get(SETTINGS, headers=person.phone).get_json() == {
        "enabled": True,
        "discreet": False,
        "quiet_start": None,
        "quiet_end": None,
        "subscribed": False,
    }
    wanted = {"enabled": False, "discreet": True, "quiet_start": "22:30", "quiet_end": "07:15"}
    assert http.put(SETTINGS, json=wanted, headers=person.phone).status_code == 200
    # The preferences are the client's: the other phone sees them too.
    assert http.get(SETTINGS, headers=person.phones[1]).get_json() == wanted | {"subscribed": False}

    invalid = [
        ({**wanted, "quiet_end": None}, "quiet_end"),
        ({**wanted, "quiet_start": None}, "quiet_end"),
        ({**wanted, "quiet_start": "24:00"}, "quiet_start"),
        ({**wanted, "quiet_end": "7:15"}, "quiet_end"),
        ({"discreet": True}, "enabled"),
        ({"enabled": "maybe", "discreet": True}, "enabled"),
    ]
    for body, field in invalid:
        response = http.put(SETTINGS, json=body, headers=person.phone)
        assert response.status_code == 422, body
        assert field in response.get_json()["error"]["fields"], body
    assert http.put(SETTINGS, json=wanted).status_code == 401
    assert http.get(SETTINGS, headers=person.phone).get_json() == wanted | {"subscribed": False}


def snooze(http, headers, reminder_id):
    return http.post(f"{SETTINGS}/{reminder_id}/snooze", headers=headers)


def test_snooze_sends_again_in_half_an_hour_three_times_at_most(
    app, http, person, push_service, send_due, now
):
    subscription = subscribe(http, person.phone, push_service)
    send_due()
    [row] = reminder_rows(app, key=MORNING)

    at = now
    for left in (2, 1, 0):
        response = snooze(http, person.phone, row["id"])
        assert response.status_code == 200
        again = at + timedelta(minutes=30)
        assert response.get_json() == {"due_at": again.isoformat(), "snoozes_left": left}
        assert send_due(again - timedelta(seconds=1)) == {}
        assert send_due(again) == {"sent": 1}
        at = again

    response = snooze(http, person.phone, row["id"])
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "snooze_limit"
    sent = push_service.messages(subscription.id)
    assert [m.payload["tag"] for m in sent] == 4 * [MORNING]
    assert [m.payload["snooze"] for m in sent] == [True, True, True, False]
    assert [m.urgency for m in sent] == ["normal", "high", "high", "high"]  # asked for: on time
    assert [datetime.fromtimestamp(m.received_at, UTC).minute for m in sent] == [30, 0, 30, 0]
    assert len(push_service.pending(subscription.id)) == 1  # each replaced the one before


def test_snoozing_another_clients_reminder_is_not_found(app, http, person, push_service, now):
    subscribe(http, person.phone, push_service)
    [row] = reminder_rows(app, key=MORNING)
    stranger = enroll(app, now, SESSION)

    assert snooze(http, stranger.phone, row["id"]).status_code == 404
    assert snooze(http, person.phone, row["id"] + 1000).status_code == 404
    assert snooze(http, {}, row["id"]).status_code == 401
    assert reminder_rows(app, key=MORNING)[0]["snoozes"] == 0


def test_a_subscription_stored_with_a_device_expired_by_a_rollback_gets_its_device(
    app, person, push_service, now
):
    # Every object is expired by a rollback: the new row must still get its device, not be
    # flushed half-made.
    subscription = push_service.subscribe()
    with app.app_context():
        device = db.session.get(Device, person.device_ids[0])
        db.session.rollback()
        subscriptions.subscribe(device, subscription["endpoint"], subscription["keys"], now)
        db.session.commit()
        row = db.session.scalars(select(PushSubscription)).one()
        assert row.device_id == person.device_ids[0]
    assert subscription_ids(app) == [row.id]
