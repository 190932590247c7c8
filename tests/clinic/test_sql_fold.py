"""The SQL fold (clinic/adherence.py) picks the same latest event as the sync rule's own fold.

The window that ranks each occurrence's events is a third writing of the rule (domain/sync.py,
pwa/js/shared/fold.js): random histories, with many ties on the instant and offsets that make
one instant look like several, must fold the same in SQL as in Python, on both databases.
"""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from server.clinic.adherence import done_ids, latest_events
from server.domain.sync import Event, done, fold, to_milliseconds
from server.extensions import db
from server.models import AdherenceEvent, Client

BASE = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night the UK's clocks go forward
# A few instants a millisecond or an hour apart, so equal times (broken by id) are common.
STEPS = [timedelta(0), timedelta(milliseconds=1), timedelta(milliseconds=999), timedelta(hours=1)]
OFFSETS = [timedelta(0), timedelta(hours=1), timedelta(hours=-8), timedelta(hours=5, minutes=45)]

events = st.lists(
    st.builds(
        lambda id_bits, occurrence, action, step, offset: Event(
            uuid.UUID(int=id_bits),
            occurrence,
            action,
            to_milliseconds((BASE + step).astimezone(timezone(offset))),
        ),
        st.integers(0, 2**128 - 1) | st.sampled_from([0, 1, 2**127, 2**128 - 1]),
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(["done", "undone"]),
        st.sampled_from(STEPS),
        st.sampled_from(OFFSETS),
    ),
    max_size=14,
    unique_by=lambda event: event.id,
)


def store(client_id: int, history: list[Event]) -> None:
    db.session.execute(delete(AdherenceEvent).where(AdherenceEvent.client_id == client_id))
    for seq, event in enumerate(history, start=1):
        db.session.add(
            AdherenceEvent(
                client_id=client_id,
                seq=seq,
                event_id=event.id,
                occurrence_id=event.occurrence,
                action=event.action,
                device_at=event.at,
                device_utc_offset_minutes=int(event.at.utcoffset().total_seconds() // 60),
                received_at=BASE,
            )
        )
    db.session.flush()


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=events)
def test_the_sql_fold_agrees_with_the_sync_rule(app, world, history):
    with app.app_context():
        store(world.a.client_id, history)
        latest = latest_events(select(Client.id).where(Client.id == world.a.client_id))
        in_sql = dict(
            db.session.execute(
                select(latest.c.occurrence_id, latest.c.action).where(latest.c.rank == 1)
            ).all()
        )
        assert in_sql == fold(history)
        assert done_ids(world.a.client_id) == done(history)
        db.session.rollback()
