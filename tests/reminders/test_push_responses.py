"""What the worker does with each push-service answer: forget, retry later, or fail loudly."""

from datetime import timedelta

import pytest

from tests.support.subscribers import reminder_rows, subscribe, subscription_ids

from .conftest import MORNING


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_forgotten_with_its_reminders(
    app, http, person, push_service, send_due, status
):
    gone = subscribe(http, person.phones[0], push_service)
    kept = subscribe(http, person.phones[1], push_service)
    gone_id, kept_id = subscription_ids(app)
    if status == 410:
        push_service.unsubscribe(gone.id)  # the service answers 410 by itself
    else:
        push_service.respond_next(gone.id, 404)
    assert reminder_rows(app, subscription_id=gone_id)

    assert send_due() == {"gone": 1, "sent": 1}

    assert [r.status for r in push_service.rejections] == [status]
    assert subscription_ids(app) == [kept_id]
    assert reminder_rows(app, subscription_id=gone_id) == []
    assert [r["state"] for r in reminder_rows(app, key=MORNING)] == ["sent"]
    assert len(push_service.messages(kept.id)) == 1


def test_429_is_retried_when_the_push_service_says(app, http, person, push_service, send_due, now):
    subscription = subscribe(http, person.phone, push_service)
    push_service.respond_next(subscription.id, 429, {"Retry-After": "120"})

    assert send_due() == {"retry": 1}
    [row] = reminder_rows(app, key=MORNING)
    assert row["state"] == "pending"
    assert row["next_attempt_at"] == now + timedelta(seconds=120)
    assert row["reason"] == "retry after 429"

    assert send_due(now + timedelta(seconds=119)) == {}
    assert send_due(now + timedelta(seconds=120)) == {"sent": 1}
    [message] = push_service.messages(subscription.id)
    assert message.payload["tag"] == MORNING
    [row] = reminder_rows(app, key=MORNING)
    assert (row["state"], row["attempts"]) == ("sent", 2)


def test_a_server_error_is_retried_with_growing_backoff(
    app, http, person, push_service, send_due, now
):
    subscription = subscribe(http, person.phone, push_service)
    push_service.respond_next(subscription.id, 500, times=2)

    assert send_due() == {"retry": 1}
    first = reminder_rows(app, key=MORNING)[0]["next_attempt_at"] - now
    assert send_due(now + first - timedelta(seconds=1)) == {}
    assert send_due(now + first) == {"retry": 1}
    second = reminder_rows(app, key=MORNING)[0]["next_attempt_at"] - (now + first)
    assert timedelta(0) < first < second
    assert send_due(now + first + second) == {"sent": 1}

    assert [r.status for r in push_service.rejections] == [500, 500]
    assert len(push_service.messages(subscription.id)) == 1
    assert reminder_rows(app, key=MORNING)[0]["state"] == "sent"


def test_backoff_holds_other_reminders_to_the_same_push_service(
    app, http, person, push_service, send_due, clock, now
):
    throttled = subscribe(http, person.phones[0], push_service)
    push_service.respond_next(throttled.id, 429, {"Retry-After": "600"})
    assert send_due() == {"retry": 1}
    clock.at = now + timedelta(minutes=1)
    subscribe(http, person.phones[1], push_service)  # its morning reminder is due at once

    assert send_due(now + timedelta(minutes=2)) == {"backoff": 1}
    assert push_service.requests == 1
    rows = reminder_rows(app, key=MORNING)
    assert [(r["state"], r["next_attempt_at"]) for r in rows] == 2 * [
        ("pending", now + timedelta(minutes=10))
    ]
    assert send_due(now + timedelta(minutes=10)) == {"sent": 2}


STATUSES = [400, 401, 403, 413]


def test_our_own_mistakes_fail_the_reminder_and_keep_the_subscription(
    app, http, person, push_service, send_due, now
):
    subscriptions = [subscribe(http, person.phones[n % 2], push_service) for n in range(6)]
    for subscription, status in zip(subscriptions, STATUSES, strict=False):
        push_service.respond_next(subscription.id, status)
    push_service.redirect_next(subscriptions[4].id, 307)
    push_service.redirect_next(subscriptions[5].id, 301)

    assert send_due() == {"misconfigured": 6}

    assert push_service.landings == []  # no redirect was followed
    assert push_service.accepted == 0
    assert len(subscription_ids(app)) == 6
    rows = {r["subscription_id"]: r for r in reminder_rows(app, key=MORNING)}
    statuses = [*STATUSES, 307, 301]
    for subscription_id, status in zip(subscription_ids(app), statuses, strict=True):
        assert rows[subscription_id]["state"] == "failed"
        assert rows[subscription_id]["reason"].startswith(f"misconfigured {status}")
    assert send_due(now + timedelta(minutes=5)) == {}
    assert push_service.requests == 6
