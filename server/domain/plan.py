"""The plan engine: a protocol, one client's profile and sessions -> their personal plan."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .checkins import CHECKIN_TASK, Checkin
from .errors import Said
from .milestones import Milestone, milestones
from .protocol import (
    PerDay,
    Placement,
    Protocol,
    Restriction,
    SpacingRule,
    Task,
    condition_holds,
)
from .slots import WakingDay, check_waking_day, fit, slot_names, waking_day
from .spacing import PlanWarning, session_warnings, warning
from .supersession import shown_windows
from .timeline import (
    Interval,
    Session,
    contains,
    intersect,
    local_date,
    local_midnight,
    merge,
    resolve_windows,
    session_days,
    subtract,
)
from .wording import N_

# A course is two to four sessions, with touch-ups over the years: a plan never needs more.
MAX_SESSIONS = 12


@dataclass(frozen=True, slots=True)
class Profile:
    timezone: str  # IANA name
    answers: Mapping[str, str] = field(default_factory=dict)
    wake: time = time(7, 0)
    bed: time = time(23, 0)


class Occurrence(NamedTuple):  # a tuple, not a frozen dataclass: plans hold hundreds
    # Same task, local date and slot -> same id; the plan store then keeps the stored id of the
    # same task, day after the same session and slot (domain/identity.py), so ticks survive
    # a session's correction.
    id: str
    task_id: str
    date: date  # the client's waking day
    slot: str
    at: datetime
    due_start: datetime
    due_end: datetime
    follows: str | None  # occurrence that must be done first (balm after its cleanse)
    optional: bool  # beyond the protocol's daily minimum


@dataclass(frozen=True, slots=True)
class RestrictionWindow:
    restriction_id: str
    start: datetime
    end: datetime | None


@dataclass(frozen=True, slots=True)
class CardWindow:
    card_id: str
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True, slots=True)
class Plan:
    protocol_id: str
    bundle_version: str
    timezone: str
    answers: Mapping[str, str]
    occurrences: tuple[Occurrence, ...]
    restrictions: tuple[RestrictionWindow, ...]
    milestones: tuple[Milestone, ...]
    cards: tuple[CardWindow, ...]
    warnings: tuple[PlanWarning, ...]


def occurrence_id(protocol_id: str, task_id: str, day: date, slot: str) -> str:
    key = f"{protocol_id}|{task_id}|{day.isoformat()}|{slot}".encode()
    return hashlib.sha256(key).hexdigest()[:20]


def build_plan(
    protocol: Protocol,
    profile: Profile,
    sessions: Iterable[Session],
    bundle_version: str = "",
) -> Plan:
    """Build the plan; raises ValueError for an unknown timezone, answer or a too-short day."""
    ordered = sorted(sessions, key=lambda s: (s.start.astimezone(UTC), s.id))
    builder = _Builder(protocol, profile, ordered)
    return builder.build(bundle_version)


def checkin_task(checkin: Checkin) -> Task:
    """The check-in as the daily task the plan places: answered on Today, never ticked."""
    return Task(
        id=CHECKIN_TASK,
        title=checkin.title,
        how=checkin.meanwhile,
        product=None,
        windows=checkin.windows,
        placement=checkin.placement,
        per_day=PerDay(1, 1),
        # Asked, not required: a day left unanswered is not missed care.
        optional=True,
    )


class _Builder:
    def __init__(self, protocol: Protocol, profile: Profile, sessions: list[Session]) -> None:
        try:
            self.tz = ZoneInfo(profile.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown timezone {profile.timezone!r}") from error
        check_waking_day(profile.wake, profile.bed)
        self.protocol = protocol
        self.profile = profile
        self.sessions = sessions
        self.answers = protocol.resolve_answers(profile.answers)
        self.warnings: list[PlanWarning] = []
        self.session_days = session_days(sessions, self.tz)
        self.busy = [(s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in sessions]
        self._days: dict[date, WakingDay] = {}

    def build(self, bundle_version: str) -> Plan:
        self.warnings += session_warnings(self.sessions, self._spacing_rules(), self.tz)
        applicable = [r for r in self.protocol.restrictions if self._applies(r)]
        restrictions = {r.id: self._restriction_windows(r) for r in applicable}
        occurrences = self._occurrences(restrictions)
        shown = shown_windows(applicable, restrictions)
        return Plan(
            protocol_id=self.protocol.id,
            bundle_version=bundle_version,
            timezone=self.profile.timezone,
            answers=self.answers,
            occurrences=tuple(occurrences),
            restrictions=tuple(
                RestrictionWindow(rid, self._local(start), self._local(end))
                for rid, windows in shown.items()
                for start, end in windows
            ),
            milestones=milestones(self.protocol.restrictions, restrictions, self.tz),
            cards=self._cards(),
            warnings=tuple(dict.fromkeys(self.warnings)),
        )

    # -- helpers -----------------------------------------------------------------

    def _applies(self, rule: Task | Restriction) -> bool:
        return condition_holds(rule.when, self.answers)

    def _windows(self, specs, *, bridged: bool = False) -> list[tuple[datetime, datetime | None]]:
        instances = (interval for interval, _ in resolve_windows(specs, self.sessions, self.tz))
        return merge(instances, self.session_days if bridged else ())

    def _restriction_windows(self, rule: Restriction) -> list[tuple[datetime, datetime | None]]:
        """Bridged over session days, except a session morning in which a task touching the
        rule's category is due: there it really lifts (7 Derma's wash before a session on
        day 8, the day shampoo is allowed again)."""
        rules = {r.id: r for r in self.protocol.restrictions}
        asked = [
            window
            for task in self.protocol.tasks
            if rule.category in task.concerns(rules) and self._applies(task)
            for window in self._windows(task.windows)
        ]
        bridges = [day for day in self.session_days if not intersect([day], asked)]
        instances = (
            interval for interval, _ in resolve_windows(rule.windows, self.sessions, self.tz)
        )
        return merge(instances, bridges)

    def _local(self, instant: datetime | None) -> datetime | None:
        return None if instant is None else instant.astimezone(self.tz)

    def _day(self, day: date) -> WakingDay:
        if day not in self._days:
            self._days[day] = waking_day(day, self.profile.wake, self.profile.bed, self.tz)
        return self._days[day]

    def _spacing_rules(self) -> list[SpacingRule]:
        return [rule for rule in self.protocol.spacing if condition_holds(rule.when, self.answers)]

    def _warn(self, code: str, said: Said, day: date | None = None, task: str | None = None):
        self.warnings.append(warning(code, said, day, task))

    # -- tasks ---------------------------------------------------------------------

    def _occurrences(self, restrictions: Mapping[str, list]) -> list[Occurrence]:
        by_task: dict[str, list[Occurrence]] = {}
        for task in self.protocol.tasks_in_dependency_order():
            if not self._applies(task) or (task.after and task.after not in by_task):
                continue
            # Time in the chair is busy: nothing is placed inside a session.
            blocked = merge(
                [*(w for rid in task.blocked_by for w in restrictions.get(rid, ())), *self.busy]
            )
            if task.after:
                by_task[task.id] = self._follow(task, by_task[task.after], blocked)
            elif task.placement is Placement.MOMENT:
                by_task[task.id] = self._moments(task, blocked)
            else:
                by_task[task.id] = self._daily(task, blocked)
        if self.protocol.checkin is not None:
            # Asked once a day in its slot, like a daily task; only the chair blocks it.
            by_task[CHECKIN_TASK] = self._daily(checkin_task(self.protocol.checkin), self.busy)
        order = {task.id: index for index, task in enumerate(self.protocol.tasks)}
        order[CHECKIN_TASK] = len(order)
        everything = [occurrence for found in by_task.values() for occurrence in found]
        return sorted(
            everything,
            key=lambda o: (o.at.astimezone(UTC), o.follows is not None, order[o.task_id]),
        )

    def _available(self, task: Task, blocked: Sequence) -> tuple[list[Interval], list[Interval]]:
        """The task's windows in this schedule, and what of them its blockers leave free."""
        windows = [(start, end) for start, end in self._windows(task.windows) if end is not None]
        return windows, subtract(windows, blocked)

    def _daily(self, task: Task, blocked: Sequence) -> list[Occurrence]:
        windows, available = self._available(task, blocked)
        if not available:
            if windows:
                message = N_("%(title)s: no time is left for it in this plan.")
                self._warn("task_impossible", Said(message, {"title": task.title}))
            return []
        names = slot_names(task.placement, task.per_day.target)
        required = set(slot_names(task.placement, task.per_day.min))
        gap = timedelta(hours=task.min_gap_hours)
        # A waking day that starts the evening before can still reach into the window.
        first = local_date(available[0][0], self.tz) - timedelta(days=1)
        last = local_date(available[-1][1], self.tz)
        occurrences: list[Occurrence] = []
        day = first
        while day <= last:
            waking = self._day(day)
            free = intersect([(waking.wake, waking.bed)], available)
            if free:
                placed = fit(names, waking, free, gap)
                if len(placed) < task.per_day.min:
                    message = N_(
                        "%(title)s: only %(placed)d of the daily minimum of %(least)d fit "
                        "on %(day)s."
                    )
                    values = {"title": task.title, "placed": len(placed)}
                    values |= {"least": task.per_day.min, "day": day.isoformat()}
                    self._warn("task_short", Said(message, values), day)
                extra = len(placed) - task.per_day.min
                occurrences += self._day_occurrences(task, waking, placed, required, extra)
            elif late := self._after_bedtime(task, waking, available):
                occurrences.append(late)
            day += timedelta(days=1)
        return occurrences

    def _after_bedtime(self, task: Task, waking: WakingDay, available) -> Occurrence | None:
        """A day whose share of the window opens only after bedtime (a late session's first
        24 hours ending at 23:30) still gets one required occurrence, at the nearest moment
        the window allows that evening, and the plan says so: never a day dropped silently."""
        midnight = local_midnight(waking.date + timedelta(days=1), self.tz)
        night = intersect([(waking.bed, midnight)], available)
        if not night or task.optional or not task.per_day.min:
            return None  # nothing required is lost: an optional task waits for the next day
        at = night[0][0]
        next_wake = self._day(waking.date + timedelta(days=1)).wake
        message = N_(
            "%(title)s: no time is free for it while the client is awake on %(day)s; "
            "one is placed at %(time)s, after their usual bedtime."
        )
        values = {"title": task.title, "day": waking.date.isoformat()}
        values["time"] = f"{at.astimezone(self.tz):%H:%M}"
        self._warn("task_after_bedtime", Said(message, values), waking.date, task.id)
        slot = slot_names(task.placement, task.per_day.min)[-1]
        return Occurrence(
            id=occurrence_id(self.protocol.id, task.id, waking.date, slot),
            task_id=task.id,
            date=waking.date,
            slot=slot,
            at=at.astimezone(self.tz),
            due_start=at.astimezone(self.tz),
            due_end=max(next_wake, at).astimezone(self.tz),
            follows=None,
            optional=task.optional,
        )

    def _day_occurrences(self, task, waking, placed, required, extra) -> list[Occurrence]:
        ordered = sorted((at, slot) for slot, at in placed.items())  # UTC: no DST-fold surprises
        result = []
        for index, (utc_at, slot) in enumerate(ordered):
            later = ordered[index + 1][0] if index + 1 < len(ordered) else max(waking.bed, utc_at)
            at, due_end = utc_at.astimezone(self.tz), later.astimezone(self.tz)
            beyond_minimum = extra > 0 and slot not in required
            extra -= beyond_minimum
            optional = beyond_minimum or task.optional
            result.append(
                Occurrence(
                    id=occurrence_id(self.protocol.id, task.id, waking.date, slot),
                    task_id=task.id,
                    date=waking.date,
                    slot=slot,
                    at=at,
                    due_start=at,
                    due_end=due_end,
                    follows=None,
                    optional=optional,
                )
            )
        return result

    def _moments(self, task: Task, blocked: Sequence) -> list[Occurrence]:
        found: dict[str, Occurrence] = {}
        for (start, end), _session in resolve_windows(task.windows, self.sessions, self.tz):
            free = subtract([(start, end)], blocked)
            if not free:
                said = Said(N_("%(title)s: no time is left for it."), {"title": task.title})
                self._warn("task_impossible", said, local_date(start, self.tz))
                continue
            # At waking if the window allows, else as late as leaves an hour: a 06:00
            # session's "shower before" goes at 05:00, not at 02:00.
            start, end = free[0]
            wake = self._day(local_date(start, self.tz)).wake
            at = max(start, min(wake, end - timedelta(hours=1)))
            day = local_date(at, self.tz)
            occurrence = Occurrence(
                id=occurrence_id(self.protocol.id, task.id, day, "moment"),
                task_id=task.id,
                date=day,
                slot="moment",
                at=at.astimezone(self.tz),
                due_start=at.astimezone(self.tz),
                due_end=free[0][1].astimezone(self.tz),
                follows=None,
                optional=task.optional,
            )
            found.setdefault(occurrence.id, occurrence)
        return list(found.values())

    def _follow(self, task: Task, leaders: list[Occurrence], blocked: Sequence) -> list[Occurrence]:
        """One occurrence right after each leader the follower's own window allows."""
        _, available = self._available(task, blocked)
        return [
            Occurrence(
                id=occurrence_id(self.protocol.id, task.id, leader.date, leader.slot),
                task_id=task.id,
                date=leader.date,
                slot=leader.slot,
                at=leader.at,
                due_start=leader.due_start,
                due_end=leader.due_end,
                follows=leader.id,
                optional=leader.optional or task.optional,
            )
            for leader in leaders
            if contains(available, leader.at)
        ]

    # -- restrictions and cards --------------------------------------------------

    def _cards(self) -> tuple[CardWindow, ...]:
        cards: list[CardWindow] = []
        for card in self.protocol.cards:
            if not condition_holds(card.when, self.answers):
                continue
            if not card.windows:
                cards.append(CardWindow(card.id, None, None))
                continue
            cards += [
                CardWindow(card.id, self._local(start), self._local(end))
                for start, end in self._windows(card.windows, bridged=True)
            ]
        return tuple(cards)
