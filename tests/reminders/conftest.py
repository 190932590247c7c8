"""Fixtures for reminder tests: a movable clock shared by the app and the loopback push service.

The default moment is day 3 of a Scalp Nation client in London (session on 17 March 2026,
before the clocks change), at 07:30 when the morning reminder is due.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.reminders import delivery
from server.reminders.courier import make_courier
from tests.support.push_service import PushService
from tests.support.subscribers import Person, enroll

SESSION = datetime(2026, 3, 17, 10, 0, tzinfo=UTC)
MORNING = "2026-03-19|morning"


class Clock:
    """The app's CLOCK, moved by tests; the push service judges VAPID and TTL by it too."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def timestamp(self) -> float:
        return self.at.timestamp()


@pytest.fixture
def now():
    """Day 3, 07:30 in London: the morning reminder's time."""
    return datetime(2026, 3, 19, 7, 30, tzinfo=UTC)


@pytest.fixture
def clock(app, now) -> Clock:
    clock = Clock(now)
    app.config["CLOCK"] = clock
    return clock


@pytest.fixture
def push_service(app, clock):
    """The loopback push service, on the app's allow-list as a test origin."""
    with PushService(clock=clock.timestamp) as service:
        app.config["PUSH_EXTRA_ORIGINS"] = (service.origin,)
        yield service


@pytest.fixture
def courier(app, push_service):
    courier = make_courier(app.config)
    yield courier
    courier.sender.close()


@pytest.fixture
def send_due(app, clock, courier):
    """One worker pass at the clock's time, or at `at` (which moves the clock there)."""

    def run(at: datetime | None = None, worker: str = "w1") -> dict[str, int]:
        if at is not None:
            clock.at = at
        with app.app_context():
            return delivery.send_due(courier, clock, worker)

    return run


@pytest.fixture
def http(app):
    return app.test_client()


@pytest.fixture
def person(app, now) -> Person:
    """A Scalp Nation client in London, on day 3 of their session, with two phones."""
    return enroll(app, now, SESSION, devices=2)
