"""Shared helpers for the guide tests: sessions from local wall-clock strings, plan lookups.

All instants are compared in UTC: two aware datetimes that share a ZoneInfo compare by
wall clock, which is wrong across a DST fold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from server.domain.plan import CardWindow, Occurrence, Plan, PlanWarning, Profile, build_plan
from server.domain.protocol import Protocol
from server.domain.timeline import Session, merge
from server.plans.registry import load_file

PROTOCOLS = Path(__file__).resolve().parents[2] / "protocols"

# Checked everywhere: no DST (Dubai), northern DST (Los Angeles, London), southern (Auckland).
ZONES = ("Asia/Dubai", "America/Los_Angeles", "Pacific/Auckland", "Europe/London")

SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)


@cache
def protocol(protocol_id: str) -> Protocol:
    return load_file(PROTOCOLS / f"{protocol_id}.toml").protocol


def day(text: str) -> date:
    return date.fromisoformat(text)


def local(tz: str, text: str) -> datetime:
    """'2026-03-10 14:00' on the wall clock in `tz`; refuses times DST skips or repeats."""
    wall = datetime.fromisoformat(text)
    zone = ZoneInfo(tz)
    first, second = wall.replace(tzinfo=zone), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        raise ValueError(f"{text} happens twice in {tz}")
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        raise ValueError(f"{text} never happens in {tz}")
    return first


def utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)


def midnight(tz: str, on: date | str) -> datetime:
    """The instant the local date `on` begins in `tz`."""
    on = day(on) if isinstance(on, str) else on
    return local(tz, datetime.combine(on, time()).isoformat(sep=" "))


def session(tz: str, start: str, end: str, sid: str | None = None) -> Session:
    """A session from local strings; `end` is 'HH:MM' for the same day or a full date and time."""
    finish = end if " " in end else f"{start[:10]} {end}"
    return Session(sid or f"s-{start}", local(tz, start), local(tz, finish))


def course(tz: str, *dates: str, start: str = "10:00", end: str = "14:00") -> list[Session]:
    """Daytime sessions on the given local dates."""
    return [session(tz, f"{d} {start}", end, f"s{n}") for n, d in enumerate(dates, start=1)]


class Case(NamedTuple):
    """One session given as local wall-clock strings, and the local date of its day 1."""

    tz: str
    start: str
    end: str  # 'HH:MM' on the same day, or a full date and time
    day1: str  # the date the session ends: day 1 of its aftercare

    def sessions(self) -> list[Session]:
        return [session(self.tz, self.start, self.end, "s1")]

    @property
    def starts(self) -> datetime:
        """When the session starts (UTC)."""
        return utc(self.sessions()[0].start)

    @property
    def ends(self) -> datetime:
        """When the session ends (UTC)."""
        return utc(self.sessions()[0].end)

    def day(self, n: int) -> date:
        """The local date of day `n` of the aftercare."""
        return day(self.day1) + (n - 1) * DAY

    def days(self, first: int, last: int) -> list[date]:
        return [self.day(n) for n in range(first, last + 1)]

    def begins(self, n: int) -> datetime:
        """Local midnight starting day `n`: when a rule 'for n - 1 days' lifts (UTC)."""
        return utc(midnight(self.tz, self.day(n)))


# One session per case: daytime sessions in every zone on the day before a DST change (so
# the first day's hours cross it), overnight sessions straddling each 2026 DST change, and
# one running past midnight. Day 1 is always the date the session ends.
ONE_SESSION = [
    pytest.param(Case("Asia/Dubai", "2026-03-05 10:00", "14:00", "2026-03-05"), id="dubai"),
    pytest.param(
        Case("Asia/Dubai", "2026-03-05 20:00", "2026-03-06 01:30", "2026-03-06"),
        id="dubai-past-midnight",
    ),
    pytest.param(
        Case("America/Los_Angeles", "2026-03-07 10:00", "14:00", "2026-03-07"),
        id="los-angeles-eve-of-dst",
    ),
    pytest.param(
        Case("America/Los_Angeles", "2026-03-07 22:00", "2026-03-08 04:00", "2026-03-08"),
        id="los-angeles-across-dst",
    ),
    pytest.param(
        Case("Europe/London", "2026-03-28 10:00", "14:00", "2026-03-28"), id="london-eve-of-bst"
    ),
    pytest.param(
        Case("Europe/London", "2026-03-28 22:00", "2026-03-29 03:00", "2026-03-29"),
        id="london-across-bst-start",
    ),
    pytest.param(
        Case("Europe/London", "2026-10-24 10:00", "14:00", "2026-10-24"),
        id="london-eve-of-bst-end",
    ),
    pytest.param(
        Case("Europe/London", "2026-10-24 22:00", "2026-10-25 03:00", "2026-10-25"),
        id="london-across-bst-end",
    ),
    pytest.param(
        Case("Pacific/Auckland", "2026-04-04 10:00", "14:00", "2026-04-04"),
        id="auckland-eve-of-nzdt-end",
    ),
    pytest.param(
        Case("Pacific/Auckland", "2026-04-04 22:00", "2026-04-05 04:00", "2026-04-05"),
        id="auckland-across-nzdt-end",
    ),
    pytest.param(
        Case("Pacific/Auckland", "2026-09-26 10:00", "14:00", "2026-09-26"),
        id="auckland-eve-of-nzdt",
    ),
    pytest.param(
        Case("Pacific/Auckland", "2026-09-26 22:00", "2026-09-27 04:00", "2026-09-27"),
        id="auckland-across-nzdt-start",
    ),
]

# The sessions of ONE_SESSION that end on the day after they start.
PAST_MIDNIGHT = [
    param for param in ONE_SESSION if param.values[0].start[:10] != param.values[0].day1
]

# A 10:00-14:00 session the day before a clock change (or in Dubai, which has none), and
# the local wall-clock time 24 real hours after it ends.
TWENTY_FOUR_HOURS_LATER = [
    pytest.param("Asia/Dubai", "2026-03-05", "2026-03-06 14:00", id="dubai"),
    pytest.param("America/Los_Angeles", "2026-03-07", "2026-03-08 15:00", id="los-angeles"),
    pytest.param("Europe/London", "2026-03-28", "2026-03-29 15:00", id="london-spring"),
    pytest.param("Europe/London", "2026-10-24", "2026-10-25 13:00", id="london-autumn"),
    pytest.param("Pacific/Auckland", "2026-04-04", "2026-04-05 13:00", id="auckland-autumn"),
    pytest.param("Pacific/Auckland", "2026-09-26", "2026-09-27 15:00", id="auckland-spring"),
]


def make_plan(protocol_id: str, tz: str, sessions: Iterable[Session], **answers: str) -> Plan:
    return build_plan(protocol(protocol_id), Profile(tz, answers), list(sessions))


# -- tasks -----------------------------------------------------------------------------


def occurrences(plan: Plan, task_id: str) -> list[Occurrence]:
    return [o for o in plan.occurrences if o.task_id == task_id]


def occurrences_on(plan: Plan, on: date | str, task_id: str) -> list[Occurrence]:
    on = day(on) if isinstance(on, str) else on
    return [o for o in occurrences(plan, task_id) if o.date == on]


def slots_on(plan: Plan, on: date | str, task_id: str) -> list[str]:
    return [o.slot for o in sorted(occurrences_on(plan, on, task_id), key=lambda o: utc(o.at))]


def wall_times_on(plan: Plan, on: date | str, task_id: str) -> list[str]:
    """'HH:MM' on the plan's wall clock for each occurrence that day."""
    found = sorted(occurrences_on(plan, on, task_id), key=lambda o: utc(o.at))
    return [o.at.astimezone(ZoneInfo(plan.timezone)).strftime("%H:%M") for o in found]


def per_day(plan: Plan, task_id: str, *, required_only: bool = False) -> dict[date, int]:
    found = occurrences(plan, task_id)
    return dict(
        sorted(Counter(o.date for o in found if not (required_only and o.optional)).items())
    )


def dates_of(plan: Plan, task_id: str) -> list[date]:
    return sorted({o.date for o in occurrences(plan, task_id)})


def date_range(first: date | str, last: date | str) -> list[date]:
    first = day(first) if isinstance(first, str) else first
    last = day(last) if isinstance(last, str) else last
    return [first + n * DAY for n in range((last - first).days + 1)]


# -- restrictions ----------------------------------------------------------------------


def windows(plan: Plan, restriction_id: str) -> list[tuple[datetime, datetime | None]]:
    """The restriction's merged windows in UTC, in order."""
    found = [
        (utc(w.start), None if w.end is None else utc(w.end))
        for w in plan.restrictions
        if w.restriction_id == restriction_id
    ]
    return sorted(found, key=lambda window: window[0])


def held(plan: Plan, *restriction_ids: str) -> list[tuple[datetime, datetime | None]]:
    """When any of the restrictions holds, in UTC: a rule hidden while a stricter one that
    supersedes it is shown still holds."""
    return merge(w for rid in restriction_ids for w in windows(plan, rid))


def restricted_at(plan: Plan, restriction_id: str, instant: datetime) -> bool:
    instant = utc(instant)
    return any(
        start <= instant and (end is None or instant < end)
        for start, end in windows(plan, restriction_id)
    )


def lifts_at(plan: Plan, restriction_id: str) -> datetime | None:
    """When the restriction finally lifts (UTC), None if never; fails if it isn't in the plan."""
    found = windows(plan, restriction_id)
    assert found, f"{restriction_id} is not in the plan"
    return found[-1][1]


def milestone_dates(plan: Plan, restriction_id: str) -> list[date]:
    return [m.date for m in plan.milestones if m.restriction_id == restriction_id]


# -- cards and warnings ----------------------------------------------------------------


def cards(plan: Plan, card_id: str) -> list[CardWindow]:
    return [c for c in plan.cards if c.card_id == card_id]


def warnings(plan: Plan, code: str | None = None) -> list[PlanWarning]:
    return [w for w in plan.warnings if code is None or w.code == code]


def assert_lifts_at(plan: Plan, restriction_id: str, instant: datetime) -> None:
    """The restriction is in force one second before `instant` and lifted from it on."""
    instant = utc(instant)
    assert lifts_at(plan, restriction_id) == instant
    assert restricted_at(plan, restriction_id, instant - SECOND), f"{restriction_id} lifts early"
    assert not restricted_at(plan, restriction_id, instant), f"{restriction_id} lifts late"
