"""The real worker process, killed with SIGKILL mid-batch, then started again after its lease.

The push service takes the second batch's messages but holds its answers, so the kill lands
while every sending thread waits, as with a slow service. The worker reads the wall clock,
so the test moves the reminders to it rather than pinning time (VAPID is judged by it too).
"""

from __future__ import annotations

import inspect
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from server import config
from server.domain.reminders import topic
from server.extensions import db
from server.models import Reminder
from server.reminders.courier import make_courier
from server.reminders.delivery import LEASE, send_due
from server.reminders.sender import Sender
from tests.conftest import TEST_VAPID_KEY
from tests.support.push_service import PushService
from tests.support.subscribers import keep_only, reminder_rows, subscribe_many

from .conftest import MORNING, SESSION

REPO = Path(__file__).resolve().parents[2]
# The worker's sending threads: how many messages are out when it is killed.
CONCURRENCY = inspect.signature(Sender).parameters["concurrency"].default


def flask(database_url: str, origin: str, *args: str) -> subprocess.Popen:
    """`flask --app server ...` in its own process, allowed to push to `origin`."""
    env = {name: value for name, value in os.environ.items() if name not in config.VARIABLES}
    env |= {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-0123456789abcdef",
        "VAPID_PRIVATE_KEY": TEST_VAPID_KEY,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
        "PUSH_EXTRA_ORIGINS": origin,  # http on loopback: PUBLIC_URL is the default http one
    }
    command = [sys.executable, "-m", "flask", "--app", "server", *args]
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def wait_for(condition, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def move_due(app, client_ids: list[int], due: datetime) -> None:
    with app.app_context():
        db.session.execute(
            update(Reminder)
            .where(Reminder.client_id.in_(client_ids))
            .values(due_at=due, expires_at=due + timedelta(hours=1))
        )
        db.session.commit()


def send_due_once(database_url: str, origin: str) -> str:
    process = flask(database_url, origin, "reminders", "send-due")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()
    return out.decode().strip()


def hold_replies(service: PushService) -> threading.Event:
    """From now on the service accepts each message but answers only once the event is set."""
    answer, handle = threading.Event(), service.handle_push

    def held(subscription_id, headers, body):
        reply = handle(subscription_id, headers, body)
        answer.wait(timeout=30)
        return reply

    service.handle_push = held
    return answer


def test_a_killed_worker_resumes_with_nothing_lost_or_doubled(app, database_url, now):
    with PushService() as service:
        subscriptions = subscribe_many(app, service, now, SESSION, people=3, each=10)
        keep_only(app, MORNING)
        first, *rest = sorted({r["client_id"] for r in reminder_rows(app)})
        wall = datetime.now(UTC)
        move_due(app, [first], wall - timedelta(minutes=1))  # the worker's first pass
        move_due(app, rest, wall + timedelta(days=1))  # held back until it is running
        worker = flask(database_url, service.origin, "reminders", "run", "--interval", "0.2")
        answer = threading.Event()
        try:
            # A generous limit: the worker has to start up, on a busy machine too.
            wait_for(lambda: len(reminder_rows(app, state="sent")) == 10, "the first pass", 60)
            answer = hold_replies(service)
            move_due(app, rest, datetime.now(UTC) - timedelta(minutes=1))
            # Every sending thread has a message accepted and waits for its answer.
            wait_for(lambda: service.accepted == 10 + CONCURRENCY, "the second batch")
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            worker.kill()
            worker.communicate(timeout=10)
            answer.set()
        sending = {r["id"] for r in reminder_rows(app, state="sending")}
        assert {r["client_id"] for r in reminder_rows(app, state="sending")} == set(rest)
        assert len(sending) == 20 and service.accepted == 10 + CONCURRENCY

        # Another worker within the lease leaves the claimed rows alone...
        app.config["PUSH_EXTRA_ORIGINS"] = (service.origin,)
        courier = make_courier(app.config)
        with app.app_context():
            assert send_due(courier, lambda: datetime.now(UTC), "w2") == {}
        courier.sender.close()
        assert service.accepted == 10 + CONCURRENCY
        # ...and once the lease has run out, a new worker process sends them all again.
        with app.app_context():
            for row in db.session.scalars(select(Reminder).where(Reminder.state == "sending")):
                row.claimed_at -= LEASE
            db.session.commit()
        assert send_due_once(database_url, service.origin) == "20 sent"

        rows = reminder_rows(app)
        assert len(rows) == len(subscriptions) == 30
        assert {r["state"] for r in rows} == {"sent"}
        per_subscription = Counter(m.subscription_id for m in service.log)
        assert set(per_subscription) == {s.id for s in subscriptions}  # nothing lost
        client_of = {r["id"]: r["client_id"] for r in rows}
        for subscription in subscriptions:
            [shown] = service.pending(subscription.id)  # a repeat replaced the first
            assert shown.payload["tag"] == MORNING
            assert shown.topic == topic(client_of[shown.payload["reminder"]], MORNING)
        # Doubles come only from rows that were being sent when the worker died.
        doubled = [sid for sid, count in per_subscription.items() if count > 1]
        assert set(per_subscription.values()) == {1, 2} and len(doubled) == CONCURRENCY
        resent = {m.payload["reminder"] for m in service.log if m.subscription_id in doubled}
        assert resent <= sending
        assert len(service.log) == 30 + CONCURRENCY
