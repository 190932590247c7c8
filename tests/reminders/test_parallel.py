"""Workers side by side on PostgreSQL: each reminder is claimed by one of them and sent once."""

import threading
from collections import Counter

import pytest

from server.reminders.courier import make_courier
from server.reminders.delivery import send_due
from tests.support.subscribers import keep_only, reminder_rows, subscribe_many

from .conftest import MORNING, SESSION


def test_two_workers_send_every_reminder_exactly_once(app, push_service, now):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite runs one worker (README, Deploy): it has no row locks to skip")
    subscriptions = subscribe_many(app, push_service, now, SESSION, people=4, each=10)
    keep_only(app, MORNING)
    push_service.latency = 0.01  # so the two workers' batches overlap
    start, totals, errors = threading.Barrier(2), {}, []

    def work(name):
        courier = make_courier(app.config)
        try:
            with app.app_context():
                start.wait()
                totals[name] = send_due(courier, lambda: now, name, batch=3)
        except Exception as error:
            errors.append(error)
        finally:
            courier.sender.close()

    workers = [threading.Thread(target=work, args=(name,)) for name in ("w1", "w2")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert errors == []
    rows = reminder_rows(app)
    assert len(rows) == len(subscriptions) == 40
    assert {r["state"] for r in rows} == {"sent"}
    assert totals["w1"]["sent"] + totals["w2"]["sent"] == 40
    assert {r["claimed_by"] for r in rows} == {"w1", "w2"}, "one worker did all: no contention"
    delivered = Counter((m.subscription_id, m.topic) for m in push_service.log)
    assert len(delivered) == 40 and set(delivered.values()) == {1}
    assert push_service.accepted == push_service.requests == 40
