"""Rules that contradict each other on screen: the conflict check of `protocols check`.

For every answer combination, plans are built for a few representative courses (one
session, sessions at each spacing the protocol allows, late sessions) in zones with and
without clock changes. A conflict is a moment when two restrictions of one category hold
together, or a task falls due while a restriction of a category it touches holds, that the
file does not mark as meant (`supersedes`, `during`, `blocked_by`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .plan import Plan, Profile, build_plan
from .protocol import Protocol, condition_holds
from .timeline import Session

# Dubai keeps one offset; London's clocks go forward on 29 March, inside these courses.
ZONES = ("Asia/Dubai", "Europe/London")
FIRST_DAY = date(2026, 3, 20)
DAYTIME = (time(10, 0), time(14, 0))
LATE = (time(18, 0), time(22, 30))  # ends after many clients' bedtime
GAPS = (5, 7, 14, 21)  # days between sessions tried, when the protocol allows them
SESSIONS_IN_A_COURSE = 3


@dataclass(frozen=True, slots=True)
class Conflict:
    protocol_id: str
    first: str  # a restriction or task id
    second: str  # the restriction it meets
    category: str
    at: datetime  # local, in the course's zone
    course: str  # how the course was built, for the reader
    answers: Mapping[str, str]
    task: bool  # a task falling due during a restriction, not two restrictions

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M} {self.at.tzinfo}"
        answers = ", ".join(f"{key}={value}" for key, value in self.answers.items())
        context = f"({self.course}; {answers or 'no questions'})"
        if self.task:
            return (
                f"task {self.first!r} is due at {when} while restriction {self.second!r} "
                f"({self.category}) holds {context}: add {self.second!r} to its `during` "
                "if that is meant, or to its `blocked_by`"
            )
        return (
            f"restrictions {self.first!r} and {self.second!r} ({self.category}) both hold "
            f"from {when} {context}: if one is stricter, list the other in its `supersedes`"
        )


def conflicts(protocol: Protocol) -> list[Conflict]:
    """Every distinct conflict, each pair once: the first course and moment it was found."""
    found: dict[tuple[str, str], Conflict] = {}
    for answers in answer_combinations(protocol):
        for label, tz, sessions in courses(protocol, answers):
            plan = build_plan(protocol, Profile(tz, answers), sessions)
            for conflict in _in_plan(protocol, plan, label):
                found.setdefault((conflict.first, conflict.second), conflict)
    return list(found.values())


def answer_combinations(protocol: Protocol) -> list[dict[str, str]]:
    """Every way the protocol's questions can be answered."""
    ids = [question.id for question in protocol.questions]
    values = [[option.value for option in question.options] for question in protocol.questions]
    return [dict(zip(ids, chosen, strict=True)) for chosen in itertools.product(*values)]


def courses(protocol: Protocol, answers: Mapping[str, str]) -> Iterator[tuple[str, str, list]]:
    """(description, zone, sessions) of each representative course for these answers."""
    gaps = allowed_gaps(protocol, answers)
    for tz in ZONES:
        yield f"one session, {tz}", tz, _course(tz, DAYTIME, [0])
        yield f"one session ending 22:30, {tz}", tz, _course(tz, LATE, [0])
        for gap in gaps:
            offsets = [gap * n for n in range(SESSIONS_IN_A_COURSE)]
            yield f"sessions {gap} days apart, {tz}", tz, _course(tz, DAYTIME, offsets)
        offsets = [gaps[0] * n for n in range(SESSIONS_IN_A_COURSE)]
        late = f"sessions ending 22:30, {gaps[0]} days apart, {tz}"
        yield late, tz, _course(tz, LATE, offsets)


def allowed_gaps(protocol: Protocol, answers: Mapping[str, str]) -> list[int]:
    """The gaps between sessions worth trying: the usual ones and the protocol's own
    limits, as far as its spacing rules for these answers allow them."""
    rules = [rule for rule in protocol.spacing if condition_holds(rule.when, answers)]
    limits = {value for rule in rules for value in (rule.min_days, rule.max_days) if value}
    allowed = sorted(
        gap
        for gap in {*GAPS, *limits}
        if all(
            rule.min_days <= gap and (rule.max_days is None or gap <= rule.max_days)
            for rule in rules
        )
    )
    return allowed or [max(rule.min_days for rule in rules) or 1]


def _course(tz: str, hours: tuple[time, time], offsets: list[int]) -> list[Session]:
    zone = ZoneInfo(tz)
    sessions = []
    for number, offset in enumerate(offsets, start=1):
        day = FIRST_DAY + timedelta(days=offset)
        start, end = (datetime.combine(day, moment, zone) for moment in hours)
        sessions.append(Session(f"s{number}", start, end))
    return sessions


def _in_plan(protocol: Protocol, plan: Plan, course: str) -> Iterator[Conflict]:
    rules = {rule.id: rule for rule in protocol.restrictions}
    tasks = {task.id: task for task in protocol.tasks}

    def conflict(first: str, second: str, at: datetime, *, task: bool) -> Conflict:
        category = rules[second].category
        return Conflict(protocol.id, first, second, category, at, course, plan.answers, task)

    windows = sorted(plan.restrictions, key=lambda w: w.start.astimezone(UTC))
    for a, b in itertools.combinations(windows, 2):
        if a.restriction_id == b.restriction_id:
            continue
        if rules[a.restriction_id].category != rules[b.restriction_id].category:
            continue
        start = max(a.start, b.start, key=lambda instant: instant.astimezone(UTC))
        if _before(start, a.end) and _before(start, b.end):
            first, second = sorted((a.restriction_id, b.restriction_id), key=list(rules).index)
            yield conflict(first, second, start, task=False)
    for occurrence in plan.occurrences:
        task = tasks.get(occurrence.task_id)
        if task is None:  # the check-in: questions, nothing done to the scalp
            continue
        touches = task.concerns(rules)
        for window in windows:
            rule = rules[window.restriction_id]
            if rule.category not in touches or rule.id in task.during:
                continue
            if _before(window.start, occurrence.at, inclusive=True) and _before(
                occurrence.at, window.end
            ):
                yield conflict(task.id, rule.id, occurrence.at, task=True)


def _before(instant: datetime, end: datetime | None, *, inclusive: bool = False) -> bool:
    if end is None:
        return True
    a, b = instant.astimezone(UTC), end.astimezone(UTC)
    return a <= b if inclusive else a < b
