"""A clinic's aftercare protocol as immutable domain objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # checkins.py builds on this module's Option and WindowSpec
    from .checkins import Checkin


class Anchor(StrEnum):
    """What a window is measured from."""

    EACH_SESSION = "each_session"
    FIRST_SESSION = "first_session"
    FINAL_SESSION = "final_session"
    # From one session to the next: `start` counts from the earlier, `end` from the later.
    BETWEEN_SESSIONS = "between_sessions"
    # The whole course: `start` counts from the first session, `end` from the final one.
    COURSE = "course"


class BoundaryKind(StrEnum):
    """How a window boundary is counted from its session."""

    AT = "at"  # the session's own start or end instant
    HOURS = "hours"  # elapsed hours after the session ends
    HOURS_BEFORE = "hours_before"  # elapsed hours before the session starts
    DAY = "day"  # calendar day; the day the session ends is day 1
    DAYS_BEFORE = "days_before"  # calendar days before the day the session starts


class Placement(StrEnum):
    """Where in the client's waking day a task's occurrences go."""

    SPREAD = "spread"  # per_day.target times spread over waking hours
    MORNING = "morning"
    EVENING = "evening"
    NIGHT = "night"  # just before bed
    MOMENT = "moment"  # once per window, at its start (e.g. "shower right before")


@dataclass(frozen=True, slots=True)
class Boundary:
    kind: BoundaryKind
    value: float | int | str  # hours, a day number, or "start"/"end" for AT


@dataclass(frozen=True, slots=True)
class WindowSpec:
    anchor: Anchor
    start: Boundary
    end: Boundary | None  # None: open-ended (never lifts)


# question id -> the answers for which a rule applies
Condition = Mapping[str, frozenset[str]]


def condition_holds(condition: Condition, answers: Mapping[str, str]) -> bool:
    """True when every question in the condition has one of the listed answers."""
    return all(answers.get(question) in allowed for question, allowed in condition.items())


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    label: str
    options: tuple[Option, ...]
    default: str

    @property
    def values(self) -> frozenset[str]:
        return frozenset(option.value for option in self.options)


@dataclass(frozen=True, slots=True)
class PerDay:
    min: int
    target: int


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    title: str
    how: str
    product: str | None
    windows: tuple[WindowSpec, ...]
    placement: Placement
    per_day: PerDay
    after: str | None = None  # id of the task this one follows in the same slot
    blocked_by: tuple[str, ...] = ()  # restriction ids during which it cannot be done
    min_gap_hours: float = 3.0
    when: Condition = field(default_factory=dict)
    # Offered, not asked: the client may skip it, so it is never counted as missed.
    optional: bool = False
    # What the task does, in restriction categories ("water", "products"): the conflict
    # check reports it placed while a restriction of one of them holds...
    categories: tuple[str, ...] = ()
    # ...unless it names that restriction here: meant to happen during it (oil while
    # hair-growth products are stopped).
    during: tuple[str, ...] = ()

    def concerns(self, by_id: Mapping[str, Restriction]) -> frozenset[str]:
        """The categories it touches: its own, and those of the restrictions blocking it."""
        blockers = (by_id[rid].category for rid in self.blocked_by if rid in by_id)
        return frozenset((*self.categories, *blockers))


@dataclass(frozen=True, slots=True)
class Restriction:
    id: str
    title: str
    detail: str
    category: str
    windows: tuple[WindowSpec, ...]
    lifted: str | None  # milestone text shown when it ends
    when: Condition = field(default_factory=dict)
    # Milder rules of its category it hides while both hold ("no water" over "gentle showers").
    supersedes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    kind: str  # expect | call_clinic | info
    title: str
    body: str
    windows: tuple[WindowSpec, ...] = ()  # empty: always shown
    when: Condition = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SpacingRule:
    min_days: int
    max_days: int | None
    note: str
    when: Condition = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Protocol:
    id: str
    title: str
    version: str
    source: str
    questions: tuple[Question, ...]
    tasks: tuple[Task, ...]
    restrictions: tuple[Restriction, ...]
    cards: tuple[Card, ...] = ()
    spacing: tuple[SpacingRule, ...] = ()
    summary: str = ""
    checkin: Checkin | None = None  # the daily symptom questions, if the protocol asks any

    def given_answers(self, answers: Mapping[str, str]) -> dict[str, str]:
        """The answers someone gave, checked, in the protocol's order; no default is filled in.

        ValueError names an unknown question or an answer that is not one of its options.
        """
        by_id = {question.id: question for question in self.questions}
        unknown = set(answers) - set(by_id)
        if unknown:
            raise ValueError(f"unknown question(s): {', '.join(sorted(unknown))}")
        given = {}
        for question in self.questions:
            if question.id not in answers:
                continue
            value = answers[question.id]
            if value not in question.values:
                allowed = ", ".join(sorted(question.values))
                raise ValueError(f"{question.id}: {value!r} is not one of {allowed}")
            given[question.id] = value
        return given

    def resolve_answers(self, answers: Mapping[str, str]) -> dict[str, str]:
        """The answers the plan is drawn from: those given, and each unanswered question's
        default meanwhile; raises ValueError as given_answers does."""
        given = self.given_answers(answers)
        return {q.id: given.get(q.id, q.default) for q in self.questions}

    def merge_answers(
        self, stored: Mapping[str, str], changes: Mapping[str, str | None]
    ) -> dict[str, str]:
        """The stored answers with `changes` applied: a value answers its question, None leaves
        it unanswered again (for the client to answer in the app). Stored answers the protocol
        does not offer are dropped; ValueError on a change given_answers would refuse."""
        unknown = set(changes) - {question.id for question in self.questions}
        if unknown:
            raise ValueError(f"unknown question(s): {', '.join(sorted(unknown))}")
        answered = {key: value for key, value in changes.items() if value is not None}
        given = self.given_answers(answered)
        kept = {
            question.id: stored[question.id]
            for question in self.questions
            if stored.get(question.id) in question.values and question.id not in changes
        }
        return self.given_answers({**kept, **given})  # in the protocol's order

    def tasks_in_dependency_order(self) -> list[Task]:
        """Tasks with every predecessor (`after`) first; the protocol schema rejects cycles."""
        by_id = {task.id: task for task in self.tasks}
        ordered: list[Task] = []
        seen: set[str] = set()

        def visit(task: Task) -> None:
            if task.id in seen:
                return
            seen.add(task.id)
            if task.after in by_id:
                visit(by_id[task.after])
            ordered.append(task)

        for task in self.tasks:
            visit(task)
        return ordered
