"""Which day of healing a photo shows, and the clinic's timeline of them: pure, no database.

Days count as the plan counts them: day 1 is the day a session ends, in the client's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Session:
    id: int
    starts_at: datetime
    ends_at: datetime


def healing_day(
    taken_at: datetime, sessions: Sequence[Session], zone: ZoneInfo
) -> tuple[int | None, int | None]:
    """(session id, day after it) of the latest session begun by `taken_at`; (None, None)
    for a photo taken before any session."""
    begun = [s for s in sessions if s.starts_at <= taken_at]
    if not begun:
        return None, None
    session = max(begun, key=lambda s: s.starts_at)
    ended = session.ends_at.astimezone(zone).date()
    return session.id, max(1, (taken_at.astimezone(zone).date() - ended).days + 1)


@dataclass(frozen=True)
class DayRow:
    day: int
    photos: list[Any]  # this session's photos of that day
    previous: list[Any]  # the previous session's photos of the same day


@dataclass(frozen=True)
class SessionPhotos:
    number: int  # 1 for the first session
    session_id: int
    days: list[DayRow]


def timeline(
    sessions: Sequence[Session], photos: Sequence[Any], zone: ZoneInfo
) -> list[SessionPhotos]:
    """Photos by session (latest first) and by day, each day beside the previous session's
    same day. `sessions` in order of their start; each photo has `taken_at`. Days are counted
    from the sessions as they are now (one moved since is followed), and photos taken before
    any session are left out."""
    by_day: dict[tuple[int, int], list] = {}
    for photo in photos:
        session_id, day = healing_day(photo.taken_at, sessions, zone)
        if session_id is not None:
            by_day.setdefault((session_id, day), []).append(photo)
    ids = [s.id for s in sessions]
    shown = []
    for index, session_id in enumerate(ids):
        previous = ids[index - 1] if index else None
        days = sorted(day for sid, day in by_day if sid == session_id)
        rows = [DayRow(d, by_day[(session_id, d)], by_day.get((previous, d), [])) for d in days]
        if rows:
            shown.append(SessionPhotos(index + 1, session_id, rows))
    return shown[::-1]
