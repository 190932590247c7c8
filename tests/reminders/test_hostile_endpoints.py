"""Endpoints the server must never POST to: refused when subscribing, and again when sending."""

import base64
from datetime import timedelta

import aiohttp

from server.reminders.courier import make_courier
from server.reminders.delivery import LEASE, send_due
from tests.support.hostile import HOSTILE
from tests.support.subscribers import add_subscription, reminder_rows, subscribe, subscription_ids

from .conftest import MORNING

SUBSCRIPTIONS = "/api/v1/me/push-subscriptions"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


SAMPLE = [
    endpoint
    for endpoint, _ in HOSTILE
    if any(
        mark in endpoint
        for mark in ("http://fcm", "169.254", "::ffff:", "0x7f", "2130706433", "@evil", "localhost")
    )
]


def test_hostile_endpoints_are_refused_when_subscribing(app, http, person, push_service):
    keys = push_service.subscribe()["keys"]
    port = push_service.origin.rsplit(":", 1)[1]
    near_misses = [  # the test push service is allowed at its exact origin only
        f"http://localhost:{port}/push/x",
        f"https://127.0.0.1:{port}/push/x",
        f"http://127.0.0.1:{int(port) + 1}/push/x",
    ]
    assert len(SAMPLE) >= 6

    for endpoint in [*SAMPLE, *near_misses]:
        response = http.post(
            SUBSCRIPTIONS, json={"endpoint": endpoint, "keys": keys}, headers=person.phone
        )
        assert response.status_code == 422, endpoint
        error = response.get_json()["error"]
        assert error["code"] == "invalid_fields" and list(error["fields"]) == ["endpoint"]

    assert subscription_ids(app) == []
    assert reminder_rows(app) == []
    assert push_service.requests == 0


def test_refused_endpoints_are_never_contacted_when_sending(
    app, person, push_service, now, monkeypatch
):
    """Stored past the API (an old row, a changed allow-list, DNS that moved): still refused."""
    keys = push_service.subscribe()["keys"]
    metadata = add_subscription(app, person, "https://169.254.169.254/latest/x", keys, now)
    moved = add_subscription(app, person, "https://fcm.googleapis.com/fcm/send/x", keys, now)
    dropped = add_subscription(app, person, push_service.subscribe()["endpoint"], keys, now)
    courier = make_courier({**app.config, "PUSH_EXTRA_ORIGINS": ()})
    looked_up, posted = [], []

    def resolve(host, port):
        looked_up.append(host)
        return ["10.1.2.3"]  # fcm.googleapis.com now points inside

    def post(session, url, **_):
        posted.append(url)
        raise aiohttp.ClientConnectionError("the test forbids any request")

    monkeypatch.setattr(aiohttp.ClientSession, "post", post)
    courier.sender.resolve = resolve
    try:
        with app.app_context():
            totals = send_due(courier, lambda: now, "w1")
    finally:
        courier.sender.close()

    assert totals == {"refused": 3}
    assert posted == [] and push_service.requests == 0
    assert looked_up == ["fcm.googleapis.com"]
    reasons = {r["subscription_id"]: r["reason"] for r in reminder_rows(app, state="failed")}
    assert reasons[metadata].startswith("refused") and "not an address" in reasons[metadata]
    assert "non-public address" in reasons[moved]
    assert "Only https" in reasons[dropped]
    assert len(subscription_ids(app)) == 3  # kept: the allow-list or DNS may change back


def test_keys_that_are_no_curve_point_fail_one_reminder_not_the_batch(
    app, http, person, push_service, send_due, now
):
    good = subscribe(http, person.phones[1], push_service)
    endpoint = push_service.subscribe()["endpoint"]
    not_a_point = {"p256dh": b64(b"\x04" + bytes(64)), "auth": b64(bytes(16))}
    bad = add_subscription(app, person, endpoint, not_a_point, now)

    assert send_due() == {"refused": 1, "sent": 1}

    [row] = reminder_rows(app, subscription_id=bad, key=MORNING)
    assert row["state"] == "failed" and "keys" in row["reason"]
    assert send_due(now + LEASE + timedelta(seconds=1)) == {}
    assert len(push_service.messages(good.id)) == 1 and push_service.requests == 1
