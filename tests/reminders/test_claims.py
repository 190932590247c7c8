"""Claims: a reminder is held by one live worker at a time, however long its pass lasts."""

import threading
import time
from collections import Counter
from datetime import datetime, timedelta

import pytest

from server.extensions import db
from server.reminders import delivery
from server.reminders.courier import make_courier
from server.reminders.delivery import candidates, claim, send_due, take
from tests.support.subscribers import keep_only, reminder_rows, subscribe_many

from .conftest import MORNING, SESSION


def due_reminders(app, push_service, now, people=2, each=2) -> list[int]:
    subscribe_many(app, push_service, now, SESSION, people=people, each=each)
    keep_only(app, MORNING)
    return [row["id"] for row in reminder_rows(app)]


def test_a_claim_refuses_rows_no_longer_pending(app, push_service, now):
    ids = due_reminders(app, push_service, now)
    with app.app_context():
        assert take(ids[:2], now, "w1") == ids[:2]
        db.session.commit()
        # w2 picked its candidates before w1's claim was committed: it gets what is left.
        assert take(ids, now, "w2") == ids[2:]
        db.session.commit()
    assert Counter(row["claimed_by"] for row in reminder_rows(app)) == {"w1": 2, "w2": 2}


def test_two_workers_that_pick_the_same_rows_claim_each_once(app, push_service, now):
    """The overlap forced, not hoped for: w1 has picked its rows and not claimed them yet when
    w2 runs a whole claim. PostgreSQL's SKIP LOCKED keeps w2 off them; either way the claim
    itself takes only rows still pending."""
    ids = due_reminders(app, push_service, now)
    taken: dict[str, list[int]] = {}

    def second_worker():
        with app.app_context():
            taken["w2"] = claim(now, "w2", 10)
            db.session.commit()

    with app.app_context():
        picked = candidates(now, 10)
        assert picked == ids
        worker = threading.Thread(target=second_worker)
        worker.start()
        worker.join(timeout=5)  # on PostgreSQL without SKIP LOCKED it waits for w1's locks
        taken["w1"] = take(picked, now, "w1")
        db.session.commit()
    worker.join(timeout=30)

    assert not worker.is_alive()
    assert sorted(taken["w1"] + taken["w2"]) == ids
    assert set(taken["w1"]).isdisjoint(taken["w2"])
    claimed_by = {row["id"]: row["claimed_by"] for row in reminder_rows(app)}
    assert all(claimed_by[i] == "w1" for i in taken["w1"])
    assert all(claimed_by[i] == "w2" for i in taken["w2"])


SLOW_ANSWER = 8.0  # seconds the push service takes to answer each push
LEASE = timedelta(seconds=12)  # longer than one batch, shorter than the pass


@pytest.mark.slow
def test_a_pass_longer_than_the_lease_sends_each_reminder_once(app, push_service, now, monkeypatch):
    """w1's pass sends two batches through a slow push service: 16 seconds, past the lease.
    Meanwhile w2 runs pass after pass; it must not take w1's second batch for abandoned."""
    monkeypatch.setattr(delivery, "LEASE", LEASE)
    ids = due_reminders(app, push_service, now)  # four, in two batches of two
    push_service.latency = SLOW_ANSWER
    began = time.monotonic()

    def clock() -> datetime:  # the workers' time runs from `now` at the real pace
        return now + timedelta(seconds=time.monotonic() - began)

    first_done, totals, errors = threading.Event(), Counter(), []

    def work(name, passes):
        courier = make_courier(app.config)
        try:
            with app.app_context():
                for _ in passes():
                    totals.update(send_due(courier, clock, name, batch=2))
        except Exception as error:  # reported below, with the counts
            errors.append(error)
        finally:
            courier.sender.close()
            if name == "w1":
                first_done.set()

    def one_pass():
        yield

    def until_w1_is_done():
        while not first_done.wait(0.25):
            yield

    w1 = threading.Thread(target=work, args=("w1", one_pass))
    w1.start()
    # w2 starts once w1 has claimed its second batch, so nothing is pending for it: whatever
    # it sends, it took from w1.
    deadline = time.monotonic() + 30
    while reminder_rows(app, state="pending") and time.monotonic() < deadline:
        time.sleep(0.05)
    w2 = threading.Thread(target=work, args=("w2", until_w1_is_done))
    w2.start()
    w1.join(timeout=60)
    w2.join(timeout=30)

    assert errors == []
    assert time.monotonic() - began > LEASE.total_seconds(), "the pass was not past the lease"
    assert totals == {"sent": len(ids)}
    assert {row["state"] for row in reminder_rows(app)} == {"sent"}
    delivered = Counter((m.subscription_id, m.topic) for m in push_service.log)
    assert len(delivered) == len(ids) and set(delivered.values()) == {1}
    assert push_service.requests == len(ids)
