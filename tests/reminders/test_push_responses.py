"""What the worker does with each push-service answer: forget, retry later, or fail loudly."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from server.extensions import db
from server.models import PushServiceBackoff, Reminder
from tests.support.subscribers import reminder_rows, subscribe, subscription_ids

from .conftest import MORNING


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_forgotten_and_its_history_kept(
    app, http, person, push_service, send_due, now, status
):
    gone = subscribe(http, person.phones[0], push_service)
    kept = subscribe(http, person.phones[1], push_service)
    gone_id, kept_id = subscription_ids(app)
    assert send_due() == {"sent": 2}  # the morning reminders
    if status == 410:
        push_service.unsubscribe(gone.id)  # the service answers 410 by itself
    else:
        push_service.respond_next(gone.id, 404)

    assert send_due(now + timedelta(hours=7, minutes=15)) == {"gone": 1, "sent": 1}

    assert [r.status for r in push_service.rejections] == [status]
    assert subscription_ids(app) == [kept_id]
    assert reminder_rows(app, subscription_id=gone_id) == []
    history = reminder_rows(app, subscription_id=None)  # the rest, never sent, went with it
    assert [(r["key"], r["state"]) for r in history] == [
        (MORNING, "sent"),
        ("2026-03-19|midday", "failed"),
    ]
    assert history[1]["reason"].startswith(f"gone {status}")
    assert len(push_service.messages(kept.id)) == 2


def test_429_is_retried_when_the_push_service_says(app, http, person, push_service, send_due, now):
    subscription = subscribe(http, person.phone, push_service)
    push_service.respond_next(subscription.id, 429, {"Retry-After": "120"})

    assert send_due() == {"busy": 1}
    [row] = reminder_rows(app, key=MORNING)
    assert row["state"] == "pending"
    assert row["next_attempt_at"] == now + timedelta(seconds=120)
    assert row["reason"] == "busy 429, again at 2026-03-19 07:32:00Z"

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


@pytest.mark.parametrize("status", [429, 503])
def test_a_busy_push_service_holds_every_reminder_to_it(
    app, http, person, push_service, send_due, clock, now, status
):
    throttled = subscribe(http, person.phones[0], push_service)
    push_service.respond_next(throttled.id, status, {"Retry-After": "600"})
    assert send_due() == {"busy": 1}
    clock.at = now + timedelta(minutes=1)
    subscribe(http, person.phones[1], push_service)  # its morning reminder is due at once

    assert send_due(now + timedelta(minutes=2)) == {"backoff": 1}
    assert push_service.requests == 1
    rows = reminder_rows(app, key=MORNING)
    assert [(r["state"], r["next_attempt_at"]) for r in rows] == 2 * [
        ("pending", now + timedelta(minutes=10))
    ]
    assert [r["attempts"] for r in rows] == [1, 0]  # put off, not tried
    assert send_due(now + timedelta(minutes=10)) == {"sent": 2}


def test_a_wait_the_service_asked_for_is_honoured_by_the_next_process(
    app, http, person, push_service, send_due, courier, now
):
    """The cron case: each `send-due` is a new process with a new courier."""
    throttled = subscribe(http, person.phones[0], push_service)
    push_service.respond_next(throttled.id, 429, {"Retry-After": "600"})
    assert send_due() == {"busy": 1}
    courier.sender.close()
    subscribe(http, person.phones[1], push_service)

    later = now + timedelta(minutes=3)
    result = app.test_cli_runner().invoke(
        args=["reminders", "send-due", "--now", later.isoformat()]
    )

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 backoff"
    assert push_service.requests == 1


def test_retry_after_is_capped_at_an_hour(app, http, person, push_service, send_due, now):
    subscription = subscribe(http, person.phone, push_service)
    push_service.respond_next(subscription.id, 429, {"Retry-After": str(7 * 24 * 3600)})

    assert send_due() == {"busy": 1}

    [row] = reminder_rows(app, key=MORNING)
    assert row["next_attempt_at"] == now + timedelta(hours=1)
    with app.app_context():
        [wait] = db.session.scalars(select(PushServiceBackoff)).all()
        assert wait.not_before == now + timedelta(hours=1)


def test_one_failing_subscription_does_not_hold_back_another(
    app, http, person, push_service, send_due, now
):
    """A 5xx or a timeout from one endpoint is that subscription's problem alone."""
    failing = subscribe(http, person.phones[0], push_service)
    other = subscribe(http, person.phones[1], push_service)
    push_service.respond_next(failing.id, 500, {"Retry-After": "900"}, times=3)
    with app.app_context():  # the other phone's reminder comes due a minute later
        db.session.execute(
            update(Reminder)
            .where(Reminder.key == MORNING, Reminder.subscription_id == subscription_ids(app)[1])
            .values(due_at=now + timedelta(minutes=1))
        )
        db.session.commit()

    assert send_due() == {"retry": 1}
    assert send_due(now + timedelta(minutes=1)) == {"sent": 1}

    assert len(push_service.messages(other.id)) == 1
    [row] = reminder_rows(app, key=MORNING, state="pending")
    assert row["next_attempt_at"] == now + timedelta(minutes=15)


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
