"""The sync rule's verdicts on a batch: new, duplicate, conflict, unknown, or too early."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

from server.domain.sync import EARLY_TOLERANCE, Event, classify

DAY_STARTS = datetime(2026, 4, 14, 23, 0, tzinfo=UTC)  # 15 April in London (summer time)


def event(at: datetime, occurrence: str = "o1", action: str = "done") -> Event:
    return Event(uuid.uuid4(), occurrence, action, at)


def verdicts(*events: Event, stored=None) -> list[str]:
    found = classify(events, stored or {}, {"o1": DAY_STARTS})
    return [verdict.outcome for verdict in found]


def test_a_tick_up_to_a_day_before_the_task_s_day_is_new():
    assert verdicts(event(DAY_STARTS - EARLY_TOLERANCE)) == ["new"]
    assert verdicts(event(DAY_STARTS + timedelta(hours=30))) == ["new"]


def test_a_tick_more_than_a_day_early_is_not_yet_due():
    assert verdicts(event(DAY_STARTS - EARLY_TOLERANCE - timedelta(milliseconds=1))) == [
        "not_yet_due"
    ]


def test_the_phone_s_offset_does_not_move_the_limit():
    # The same instant written in another offset is the same tick.
    limit = DAY_STARTS - EARLY_TOLERANCE
    for hours in (-7, 0, 5.75, 14):
        written = limit.astimezone(timezone(timedelta(hours=hours)))
        assert verdicts(event(written)) == ["new"]
        assert verdicts(event(written - timedelta(milliseconds=1))) == ["not_yet_due"]


def test_a_retry_is_a_duplicate_and_another_event_under_its_id_a_conflict():
    first = event(DAY_STARTS)
    retry = Event(first.id, first.occurrence, first.action, first.at)
    other = Event(first.id, first.occurrence, "undone", first.at)
    assert verdicts(first, retry, other) == ["new", "duplicate", "conflict"]


def test_an_occurrence_never_planned_is_unknown():
    assert verdicts(event(DAY_STARTS, occurrence="gone")) == ["unknown_occurrence"]
