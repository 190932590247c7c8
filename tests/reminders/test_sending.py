"""Due reminders reach the push service once, saying what is left to do, never late."""

from datetime import timedelta

from server.domain.reminders import topic
from tests.support.phones import tick
from tests.support.subscribers import enroll, reminder_rows, slot_occurrences, subscribe

from .conftest import MORNING, SESSION

TOPIC_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_a_due_reminder_is_sent_once_with_its_tasks(app, http, person, push_service, send_due, now):
    subscription = subscribe(http, person.phone, push_service)

    assert send_due() == {"sent": 1}

    [message] = push_service.messages(subscription.id)
    assert message.payload["title"] == "Morning aftercare"
    assert message.payload["body"] == "Cleanse your scalp, then apply balm"
    assert message.payload["tag"] == MORNING
    assert message.payload["occurrences"] == slot_occurrences(app, person.client_id, MORNING)
    [row] = reminder_rows(app, key=MORNING)
    assert message.payload["reminder"] == row["id"]
    assert (row["state"], row["sent_at"], row["attempts"]) == ("sent", now, 1)
    grace = timedelta(minutes=app.config["REMINDER_GRACE_MINUTES"])
    assert 0 < message.ttl <= grace.total_seconds()
    assert message.urgency == "normal"  # delivered on battery, just not ahead of everything
    assert message.topic == topic(person.client_id, MORNING)
    assert len(message.topic) <= 32 and set(message.topic) <= TOPIC_ALPHABET
    assert push_service.rejections == []

    assert send_due(now + timedelta(minutes=10)) == {}
    assert send_due(now + timedelta(hours=7, minutes=15)) == {"sent": 1}
    midday = push_service.messages(subscription.id)[1]
    assert midday.payload["title"] == "Midday aftercare"
    assert midday.payload["tag"] == "2026-03-19|midday"
    assert midday.topic != message.topic
    assert push_service.accepted == 2


def sync(http, headers, *events):
    response = http.post("/api/v1/me/sync", json={"events": list(events)}, headers=headers)
    assert response.status_code == 200 and not response.get_json()["rejected"]


def test_nothing_is_sent_for_tasks_already_done(app, http, person, push_service, send_due):
    subscription = subscribe(http, person.phone, push_service)
    cleanse, balm = slot_occurrences(app, person.client_id, MORNING)
    at = "2026-03-19T07:20:00.000+00:00"
    # Ticked on the other phone: the reminder goes to every phone, so the fold must be shared.
    sync(http, person.phones[1], tick(cleanse, at=at), tick(balm, at=at))

    assert send_due() == {"already done": 1}

    assert push_service.requests == 0
    [row] = reminder_rows(app, key=MORNING)
    assert (row["state"], row["reason"]) == ("skipped", "already done")
    assert push_service.messages(subscription.id) == []


def test_the_text_lists_only_what_is_left(app, http, person, push_service, send_due):
    subscription = subscribe(http, person.phone, push_service)
    cleanse, balm = slot_occurrences(app, person.client_id, MORNING)
    at = "2026-03-19T07:20:00.000+00:00"
    # Ticked then unticked counts as not done.
    sync(http, person.phone, tick(cleanse, at=at), tick(balm, at=at))
    sync(http, person.phone, tick(balm, "undone", at="2026-03-19T07:25:00.000+00:00"))

    assert send_due() == {"sent": 1}

    [message] = push_service.messages(subscription.id)
    assert message.payload["body"] == "Apply balm"
    assert message.payload["occurrences"] == [balm]


def test_clients_with_the_same_occurrences_are_told_apart(
    app, http, person, push_service, send_due, now
):
    # Same protocol and session day: the same occurrence ids (a hash of task, day and slot),
    # and both reminders in one batch.
    other = enroll(app, now, SESSION)
    ticked, untouched = (
        subscribe(http, person.phone, push_service),
        subscribe(http, other.phone, push_service),
    )
    cleanse, balm = slot_occurrences(app, person.client_id, MORNING)
    assert slot_occurrences(app, other.client_id, MORNING) == [cleanse, balm]
    sync(http, person.phone, tick(cleanse, at="2026-03-19T07:20:00.000+00:00"))

    assert send_due() == {"sent": 2}

    assert push_service.messages(ticked.id)[0].payload["occurrences"] == [balm]
    assert push_service.messages(untouched.id)[0].payload["occurrences"] == [cleanse, balm]


def test_proxy_settings_in_the_environment_are_not_used(
    http, person, push_service, send_due, monkeypatch
):
    # A proxy would see every push, and pass it on to wherever it likes.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        for spelling in (name, name.lower()):
            monkeypatch.setenv(spelling, "http://127.0.0.1:9")  # the discard port: nothing there
    for spelling in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(spelling, raising=False)
    subscription = subscribe(http, person.phone, push_service)

    assert send_due() == {"sent": 1}
    assert len(push_service.messages(subscription.id)) == 1


def test_a_reminder_past_its_grace_is_dropped_never_sent_late(
    app, http, person, push_service, send_due, now
):
    subscribe(http, person.phone, push_service)
    grace = timedelta(minutes=app.config["REMINDER_GRACE_MINUTES"])

    assert send_due(now + grace) == {}

    assert push_service.requests == 0
    [row] = reminder_rows(app, key=MORNING)
    assert (row["state"], row["reason"], row["sent_at"]) == (
        "dropped",
        "too late to be useful",
        None,
    )


def test_a_retry_that_would_land_after_the_grace_is_dropped(
    app, http, person, push_service, send_due, now
):
    subscription = subscribe(http, person.phone, push_service)
    push_service.respond_next(subscription.id, 500, {"Retry-After": "3600"})

    assert send_due() == {"retry": 1}
    [row] = reminder_rows(app, key=MORNING)
    assert row["state"] == "pending" and row["next_attempt_at"] == now + timedelta(hours=1)
    assert send_due(now + timedelta(hours=1)) == {}

    assert push_service.accepted == 0
    [row] = reminder_rows(app, key=MORNING)
    assert row["state"] == "dropped"


def test_urgency_is_high_only_near_the_end_of_the_window(
    app, http, person, push_service, send_due, now
):
    subscription = subscribe(http, person.phone, push_service)
    [row] = reminder_rows(app, key=MORNING)
    late = row["expires_at"] - timedelta(minutes=14)

    assert send_due(late) == {"sent": 1}

    [message] = push_service.messages(subscription.id)
    assert message.urgency == "high"
    assert 0 < message.ttl <= 14 * 60


def test_an_accepted_message_expires_with_its_reminder(
    app, http, person, push_service, send_due, now
):
    """The TTL keeps an offline phone from showing the reminder after its grace."""
    subscription = subscribe(http, person.phone, push_service)
    send_due(now + timedelta(minutes=20))
    [row] = reminder_rows(app, key=MORNING)

    expires = row["expires_at"].timestamp()
    assert len(push_service.pending(subscription.id, at=expires - 1)) == 1
    assert push_service.pending(subscription.id, at=expires) == []


def test_one_vapid_signature_per_push_service_until_near_its_expiry(
    app, http, person, push_service, send_due, courier, now
):
    tokens = []
    handle = push_service.handle_push

    def spy(subscription_id, headers, body):
        tokens.append(headers["authorization"])
        return handle(subscription_id, headers, body)

    push_service.handle_push = spy
    for headers in person.phones:
        for _ in range(3):
            subscribe(http, headers, push_service)

    assert send_due() == {"sent": 6}
    assert send_due(now + timedelta(hours=7, minutes=15)) == {"sent": 6}  # midday, same JWT
    assert len(tokens) == 12 and len(set(tokens)) == 1
    assert send_due(now + timedelta(hours=14, minutes=30)) == {"sent": 6}  # evening: expired
    assert len(set(tokens[12:])) == 1 and tokens[12] != tokens[0]
    assert push_service.rejections == []

    sender, origin = courier.sender, push_service.origin
    evening = now + timedelta(hours=14, minutes=30)
    expires = evening + timedelta(hours=12)
    assert sender.authorization(origin, expires - timedelta(minutes=61)) == tokens[12]
    assert sender.authorization(origin, expires - timedelta(minutes=59)) != tokens[12]
