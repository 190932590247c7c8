"""Turning window specs into real instants in the client's timezone, and interval arithmetic.

Elapsed-hour boundaries are computed in UTC (real elapsed time, DST-proof); calendar-day
boundaries are local midnights. Wall-clock arithmetic on aware datetimes is never used.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from .protocol import Anchor, Boundary, BoundaryKind, WindowSpec

Interval = tuple[datetime, datetime]  # [start, end), both aware UTC


@dataclass(frozen=True, slots=True)
class Session:
    """One treatment session; `id` is any stable key (it names anchor instances)."""

    id: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("session times must be timezone-aware")
        # In UTC: two times in one zone compare by wall clock, wrong across a DST fold.
        if self.end.astimezone(UTC) <= self.start.astimezone(UTC):
            raise ValueError("a session must end after it starts")


def localize(wall: datetime, tz: tzinfo) -> datetime:
    """The instant a local wall-clock time names; a time skipped by DST moves forward."""
    aware = wall.replace(tzinfo=tz)
    return aware.astimezone(UTC)


def local_midnight(day: date, tz: tzinfo) -> datetime:
    return localize(datetime.combine(day, time()), tz)


def local_date(instant: datetime, tz: tzinfo) -> date:
    return instant.astimezone(tz).date()


def resolve(boundary: Boundary, session: Session, tz: tzinfo, *, is_end: bool) -> datetime:
    """The UTC instant of one window boundary measured from `session`."""
    kind, value = boundary.kind, boundary.value
    if kind is BoundaryKind.AT:
        return (session.start if value == "start" else session.end).astimezone(UTC)
    if kind is BoundaryKind.HOURS:
        return session.end.astimezone(UTC) + timedelta(hours=float(value))
    if kind is BoundaryKind.HOURS_BEFORE:
        return session.start.astimezone(UTC) - timedelta(hours=float(value))
    if kind is BoundaryKind.DAY:
        # Day 1 is the day the session ends: healing starts then, even past midnight.
        first = local_date(session.end, tz)
        day = first + timedelta(days=int(value) - 1)
    else:  # DAYS_BEFORE
        day = local_date(session.start, tz) - timedelta(days=int(value))
    return local_midnight(day + timedelta(days=1) if is_end else day, tz)


def resolve_windows(
    specs: Iterable[WindowSpec], sessions: Sequence[Session], tz: tzinfo
) -> list[tuple[Interval | tuple[datetime, None], str]]:
    """Every instance of each spec over the client's sessions, with its anchor session id."""
    resolved: list[tuple[Interval | tuple[datetime, None], str]] = []
    if not sessions:
        return resolved
    for spec in specs:
        for start_session, end_session in _anchor_pairs(spec.anchor, sessions):
            start = resolve(spec.start, start_session, tz, is_end=False)
            end = None if spec.end is None else resolve(spec.end, end_session, tz, is_end=True)
            if end is None or end > start:
                resolved.append(((start, end), start_session.id))
    return resolved


def _anchor_pairs(anchor: Anchor, sessions: Sequence[Session]) -> list[tuple[Session, Session]]:
    if anchor is Anchor.EACH_SESSION:
        return [(session, session) for session in sessions]
    if anchor is Anchor.FIRST_SESSION:
        return [(sessions[0], sessions[0])]
    if anchor is Anchor.FINAL_SESSION:
        return [(sessions[-1], sessions[-1])]
    if anchor is Anchor.COURSE:
        return [(sessions[0], sessions[-1])]
    return list(itertools.pairwise(sessions))


def merge(
    intervals: Iterable[tuple[datetime, datetime | None]], bridges: Sequence[Interval] = ()
) -> list[tuple[datetime, datetime | None]]:
    """Union of half-open intervals (None = open end), sorted, touching ones joined.

    A gap that lies inside one of the `bridges` is joined too (see session_days).
    """
    merged: list[tuple[datetime, datetime | None]] = []
    for start, end in sorted(intervals, key=lambda interval: interval[0]):
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None or start <= last_end or _bridged(last_end, start, bridges):
                longer = None if last_end is None or end is None else max(last_end, end)
                merged[-1] = (last_start, longer)
                continue
        merged.append((start, end))
    return merged


def session_days(sessions: Sequence[Session], tz: tzinfo) -> list[Interval]:
    """From the midnight before each session to its end.

    A rule that pauses only on the day of a session, until the session is over, has not
    really lifted: announcing "you may shave again" at midnight before it would mislead.
    """
    return [(local_midnight(local_date(s.start, tz), tz), s.end.astimezone(UTC)) for s in sessions]


def _bridged(gap_start: datetime, gap_end: datetime, bridges: Sequence[Interval]) -> bool:
    return any(start <= gap_start and gap_end <= end for start, end in bridges)


def intersect(
    a: Sequence[Interval], b: Sequence[tuple[datetime, datetime | None]]
) -> list[Interval]:
    """Pairwise intersection of two sorted, disjoint interval lists."""
    result: list[Interval] = []
    for a_start, a_end in a:
        for b_start, b_end in b:
            start = max(a_start, b_start)
            end = a_end if b_end is None else min(a_end, b_end)
            if start < end:
                result.append((start, end))
    return result


def subtract(
    a: Sequence[Interval], b: Sequence[tuple[datetime, datetime | None]]
) -> list[Interval]:
    """Parts of sorted, disjoint `a` not covered by sorted, disjoint `b`."""
    result: list[Interval] = []
    for start, end in a:
        cursor = start
        for b_start, b_end in b:
            if b_end is not None and b_end <= cursor:
                continue
            if b_start >= end:
                break
            if b_start > cursor:
                result.append((cursor, b_start))
            cursor = end if b_end is None else max(cursor, b_end)
            if cursor >= end:
                break
        if cursor < end:
            result.append((cursor, end))
    return result


def contains(intervals: Sequence[Interval], instant: datetime) -> bool:
    return any(start <= instant < end for start, end in intervals)
