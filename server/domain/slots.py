"""The client's waking day and where a task's daily occurrences fit into it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from .errors import Said
from .protocol import Placement
from .timeline import Interval, contains, localize
from .wording import N_

# Spread names nest (the first `min` of `target` are the required ones), so a day that
# can hold only the minimum keeps the morning and evening rather than the midday.
SPREAD = {0: (), 1: ("morning",), 2: ("morning", "evening"), 3: ("morning", "midday", "evening")}
FIXED = {
    Placement.MORNING: ("morning",),
    Placement.EVENING: ("evening",),
    Placement.NIGHT: ("night",),
}
MIN_WAKING_HOURS = 6
SHORT_DAY_MESSAGE = N_("Leave at least %(count)d hours between getting up and going to bed.")
SHORT_DAY = Said(SHORT_DAY_MESSAGE, {"count": MIN_WAKING_HOURS})
_NUDGE = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class WakingDay:
    """One waking day (wake on `date`, bed that night) and its named slot instants (UTC)."""

    date: date
    wake: datetime
    bed: datetime
    slots: dict[str, datetime]


def waking_span(wake: time, bed: time) -> timedelta:
    """Length of the waking day; bed at or before wake means bed is after midnight."""
    minutes = (bed.hour * 60 + bed.minute) - (wake.hour * 60 + wake.minute)
    return timedelta(minutes=minutes if minutes > 0 else minutes + 24 * 60)


def check_waking_day(wake: time, bed: time) -> None:
    """Raise ValueError(SHORT_DAY) unless the day is long enough to place a day's tasks in."""
    if waking_span(wake, bed) < timedelta(hours=MIN_WAKING_HOURS):
        raise ValueError(SHORT_DAY)


@lru_cache(maxsize=8192)  # rebuilding a plan (a reschedule, a new wake time) reuses its days
def waking_day(day: date, wake: time, bed: time, tz: tzinfo) -> WakingDay:
    """Slots in wall-clock time, so 'morning' is the same local time on a DST day."""
    wake_wall = datetime.combine(day, wake)
    bed_wall = wake_wall + waking_span(wake, bed)
    morning = wake_wall + timedelta(minutes=30)
    evening = bed_wall - timedelta(minutes=60)
    midday = morning + (evening - morning) / 2
    midday -= timedelta(minutes=midday.minute % 15, seconds=midday.second)
    walls = {
        "morning": morning,
        "midday": midday,
        "evening": evening,
        "night": bed_wall - timedelta(minutes=30),
    }
    return WakingDay(
        date=day,
        wake=localize(wake_wall, tz),
        bed=localize(bed_wall, tz),
        slots={name: localize(wall, tz) for name, wall in walls.items()},
    )


def slot_names(placement: Placement, count: int) -> tuple[str, ...]:
    """The first `count` slots of a placement: 0 names none (every occurrence optional)."""
    return SPREAD[count] if placement is Placement.SPREAD else FIXED[placement][:count]


def fit(
    names: Sequence[str], day: WakingDay, available: Sequence[Interval], min_gap: timedelta
) -> dict[str, datetime]:
    """Place each named slot at its usual time, or as near as the available time allows.

    A slot whose usual time is unavailable (say, still inside the first 24 hours) moves to
    the nearest available instant that keeps `min_gap` from its neighbours and their order.
    """
    placed = {name: day.slots[name] for name in names if contains(available, day.slots[name])}
    # The slot nearest the free time moves first: a day opening at 15:00 gets its midday
    # slot moved there, not its morning one.
    unplaced = sorted(
        (name for name in names if name not in placed),
        key=lambda name: _distance(available, day.slots[name]),
    )
    for name in unplaced:
        index = names.index(name)
        usual = day.slots[name]
        lower = max((placed[n] + min_gap for n in names[:index] if n in placed), default=None)
        upper = min((placed[n] - min_gap for n in names[index + 1 :] if n in placed), default=None)
        candidates = [start for start, _ in available if start > usual]
        candidates += [
            end - _NUDGE for start, end in available if end <= usual and end - _NUDGE >= start
        ]
        fitting = [
            moment
            for moment in candidates
            if (lower is None or moment >= lower) and (upper is None or moment <= upper)
        ]
        if fitting:
            placed[name] = min(fitting, key=lambda moment: abs(moment - usual))
    return placed


def _distance(available: Sequence[Interval], moment: datetime) -> timedelta:
    gaps = [start - moment if start > moment else moment - end for start, end in available]
    return min(gaps, default=timedelta.max)
