"""Instants from window specs: elapsed hours in real time, calendar days in local time."""

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from server.domain.protocol import Boundary, BoundaryKind
from server.domain.timeline import (
    Session,
    intersect,
    localize,
    merge,
    resolve,
    session_days,
    subtract,
)

LA = ZoneInfo("America/Los_Angeles")


def session(tz, start, end):
    return Session(
        "s",
        datetime.fromisoformat(start).replace(tzinfo=tz),
        datetime.fromisoformat(end).replace(tzinfo=tz),
    )


def test_a_wall_time_skipped_by_dst_moves_forward():
    # 2026-03-08 02:30 does not exist in Los Angeles; it is read as 03:30 PDT.
    instant = localize(datetime(2026, 3, 8, 2, 30), LA)
    assert instant.astimezone(LA).hour == 3
    assert instant == datetime(2026, 3, 8, 10, 30, tzinfo=UTC)


def test_elapsed_hours_are_real_hours_across_a_dst_change():
    s = session(LA, "2026-03-07T10:00", "2026-03-07T14:00")
    end = resolve(Boundary(BoundaryKind.HOURS, 24), s, LA, is_end=True)
    assert end - s.end == timedelta(hours=24)
    # The clocks went forward overnight, so 24 real hours later reads 15:00 on the wall.
    assert end.astimezone(LA).hour == 15


def test_calendar_days_are_local_midnights_across_a_dst_change():
    s = session(LA, "2026-03-07T10:00", "2026-03-07T14:00")
    start = resolve(Boundary(BoundaryKind.DAY, 2), s, LA, is_end=False)
    end = resolve(Boundary(BoundaryKind.DAY, 4), s, LA, is_end=True)
    assert start.astimezone(LA) == datetime(2026, 3, 8, tzinfo=LA)
    assert end.astimezone(LA) == datetime(2026, 3, 11, tzinfo=LA)
    assert end - start == timedelta(days=3) - timedelta(hours=1)  # one 23-hour day inside


def test_day_one_is_the_day_a_session_ends_even_past_midnight():
    s = session(LA, "2026-05-01T20:00", "2026-05-02T01:00")
    start = resolve(Boundary(BoundaryKind.DAY, 1), s, LA, is_end=False)
    assert start.astimezone(LA).date() == date(2026, 5, 2)


def test_days_before_count_from_the_day_a_session_starts():
    s = session(LA, "2026-05-01T20:00", "2026-05-02T01:00")
    start = resolve(Boundary(BoundaryKind.DAYS_BEFORE, 10), s, LA, is_end=False)
    end = resolve(Boundary(BoundaryKind.DAYS_BEFORE, 1), s, LA, is_end=True)
    assert start.astimezone(LA) == datetime(2026, 4, 21, tzinfo=LA)
    assert end.astimezone(LA) == datetime(2026, 5, 1, tzinfo=LA)


def test_at_and_hours_before_use_the_session_itself():
    s = session(LA, "2026-05-01T09:00", "2026-05-01T13:30")
    assert resolve(Boundary(BoundaryKind.AT, "start"), s, LA, is_end=False) == s.start
    assert resolve(Boundary(BoundaryKind.AT, "end"), s, LA, is_end=True) == s.end
    before = resolve(Boundary(BoundaryKind.HOURS_BEFORE, 4), s, LA, is_end=False)
    assert s.start - before == timedelta(hours=4)


def test_merge_bridges_only_gaps_on_the_day_of_a_session_until_it_ends():
    s = session(LA, "2026-05-10T09:00", "2026-05-10T13:00")
    bridges = session_days([s], LA)
    assert bridges == [(datetime(2026, 5, 10, tzinfo=LA).astimezone(UTC), s.end)]
    midnight = bridges[0][0]
    after = (s.end, s.end + timedelta(days=2))
    # Lifting at midnight, held again after the session: no real lift.
    assert merge([(midnight - timedelta(days=2), midnight), after], bridges) == [
        (midnight - timedelta(days=2), after[1])
    ]
    # Lifting the evening before: a real lift, kept.
    evening = midnight - timedelta(hours=3)
    assert merge([(evening - timedelta(days=1), evening), after], bridges) == [
        (evening - timedelta(days=1), evening),
        after,
    ]
    assert merge([(midnight - timedelta(days=2), midnight), after]) == [
        (midnight - timedelta(days=2), midnight),
        after,
    ]


base = datetime(2026, 1, 1, tzinfo=UTC)
intervals = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 50)).map(
        lambda p: (base + timedelta(hours=p[0]), base + timedelta(hours=p[0] + p[1]))
    ),
    max_size=8,
)


def covered(spans, hour):
    instant = base + timedelta(hours=hour, minutes=30)
    return any(start <= instant and (end is None or instant < end) for start, end in spans)


@given(intervals, intervals)
def test_interval_algebra_agrees_with_pointwise_membership(a, b):
    merged_a, merged_b = merge(a), merge(b)
    assert all(start < end for start, end in merged_a)
    assert all(x[1] < y[0] for x, y in itertools.pairwise(merged_a))
    both = intersect(merged_a, merged_b)
    only_a = subtract(merged_a, merged_b)
    for hour in range(0, 260):
        in_a, in_b = covered(a, hour), covered(b, hour)
        assert covered(merged_a, hour) == in_a
        assert covered(both, hour) == (in_a and in_b)
        assert covered(only_a, hour) == (in_a and not in_b)
