"""Two phones of one client, offline, flaky network: they and the server still agree.

Each simulated phone keeps an outbox like the app's: a tick is written there first and
leaves only once the server acknowledged it (accepted or rejected). The network may lose a
request, lose the reply after the server committed, deliver a request twice, or deliver a
stale copy later. At the end, after a clean sync on each phone, every event a phone made is
stored exactly once and all three hold the same state under the documented fold.
"""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from server.domain.sync import Event, fold
from server.extensions import db, limiter
from server.models import AdherenceEvent
from tests.support.phones import make_client

pytestmark = pytest.mark.slow


class Phone:
    def __init__(self, http, headers):
        self.http, self.headers = http, headers
        self.outbox: dict[str, dict] = {}
        self.known: dict[str, dict] = {}  # every event this phone has seen, by id
        self.cursor = None
        self.made: set[str] = set()

    def tap(self, occurrence, action, at):
        event = {"id": str(uuid.uuid4()), "occurrence": occurrence, "action": action, "at": at}
        self.outbox[event["id"]] = event
        self.known[event["id"]] = event
        self.made.add(event["id"])

    def request(self):
        return {"events": list(self.outbox.values()), "cursor": self.cursor}

    def send(self, body):
        response = self.http.post("/api/v1/me/sync", json=body, headers=self.headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def receive(self, reply):
        for event_id in reply["accepted"] + [r["id"] for r in reply["rejected"]]:
            self.outbox.pop(event_id, None)
        for event in reply["events"]:
            self.known[event["id"]] = event
        self.cursor = reply["cursor"]

    def state(self):
        return fold(as_event(e) for e in self.known.values())


def as_event(raw):
    return Event(
        uuid.UUID(raw["id"]), raw["occurrence"], raw["action"], datetime.fromisoformat(raw["at"])
    )


step = st.one_of(
    st.tuples(
        st.just("tap"),
        st.integers(0, 1),
        st.integers(0, 5),
        st.sampled_from(["done", "undone"]),
        st.integers(-600, 600),
    ),
    st.tuples(
        st.just("sync"),
        st.integers(0, 1),
        st.sampled_from(["ok", "lost_request", "lost_reply", "twice", "stale_later"]),
    ),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=30))
def test_two_phones_and_the_server_converge(app, now, monkeypatch, steps):
    # Every example is many syncs from one address and up to ~60 from one phone, in an
    # instant: rate limits (tests/api/test_rate_limits.py) are not what this tests.
    monkeypatch.setattr(limiter, "enabled", False)
    with app.app_context():
        db.session.execute(AdherenceEvent.__table__.delete())
        db.session.commit()
    enrolled = make_client(app, now, clinic_name=f"Clinic {uuid.uuid4()}")
    http = app.test_client()
    phones = [Phone(http, enrolled.phone), Phone(http, enrolled.tablet)]
    delayed: list[tuple[Phone, dict]] = []
    base = datetime(2026, 3, 20, 8, tzinfo=UTC)
    for move in steps:
        if move[0] == "tap":
            _, who, which, action, skew = move
            # Phone clocks disagree by up to ten minutes either way.
            at = (base + timedelta(seconds=len(phones[who].made) * 7 + skew)).isoformat(
                timespec="milliseconds"
            )
            phones[who].tap(enrolled.occurrences[which], action, at)
            continue
        _, who, fault = move
        phone = phones[who]
        body = phone.request()
        if fault == "lost_request":
            continue
        reply = phone.send(body)
        if fault == "lost_reply":
            continue
        if fault == "twice":
            reply = phone.send(body)
        if fault == "stale_later":
            delayed.append((phone, body))
        phone.receive(reply)
        if delayed and fault == "ok":
            stale_phone, stale_body = delayed.pop(0)
            stale_phone.send(stale_body)  # an old copy finally arrives; its reply is lost
    for _ in range(2):  # the network heals: each phone syncs until its outbox is empty
        for phone in phones:
            while True:
                reply = phone.send(phone.request())
                phone.receive(reply)
                if not phone.outbox and not reply["more"]:
                    break
    made = phones[0].made | phones[1].made
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(AdherenceEvent).where(AdherenceEvent.client_id == enrolled.client_id)
            )
        )
        assert db.session.scalar(select(func.count()).select_from(AdherenceEvent)) == len(rows)
    stored_ids = [str(row.event_id) for row in rows]
    assert sorted(stored_ids) == sorted(made)  # every event, exactly once
    server_state = fold(
        Event(row.event_id, row.occurrence_id, row.action, row.device_at) for row in rows
    )
    assert phones[0].state() == phones[1].state() == server_state
