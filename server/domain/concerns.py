"""Why a clinic should call a client: each concern, its reason in words, and how long it lasts.

A concern is one fact worth a call: a task missed in the first days of healing, a task missed
with a session days away, sessions that overlap or sit too close, a phone that went silent
while tasks fell due. Each has an identity (kind and subject), so a clinician who handles it
is not asked again, while a new miss raises a new one. clinic/concerns.py finds them in SQL
and keeps them; this module says what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from .spacing import PlanWarning
from .wording import N_

# Days 1 to 4 after a session (the day it ends is day 1): the scalp is open, and a missed
# cleanse or balm then harms healing most.
CRITICAL_DAYS = 4
# A miss in those days is worth a call while the scalp still heals (scabs, redness): two weeks
# from the session's end. After that a call cannot change the outcome, so the concern expires.
FOLLOW_UP = timedelta(days=14)
# A task missed before a session matters once the session is this close: there is still time
# to do it, or to move the session.
BEFORE_SESSION = timedelta(days=3)
# A phone that has not synced for this long while tasks fell due may have been abandoned.
SILENT_AFTER = timedelta(hours=48)

MISSED_CRITICAL = "missed_critical"
MISSED_BEFORE_SESSION = "missed_before_session"
SCHEDULE = "schedule"
SILENT_PHONE = "silent_phone"
# A check-in answered with a red flag (domain/checkins.py): the client was told to call now.
RED_FLAG = "red_flag"
# Worth a call for as long as a week: after that the clinic has seen the client or a doctor.
RED_FLAG_FOLLOW_UP = timedelta(days=7)

# kind -> what the list calls the reason, in its counts and filters.
KINDS = {
    RED_FLAG: "Red flag in a check-in",
    MISSED_CRITICAL: "Missed tasks on days 1 to 4",
    MISSED_BEFORE_SESSION: "Missed tasks with a session in 3 days",
    SCHEDULE: "Sessions overlap or are too close",
    SILENT_PHONE: "Phone silent while tasks fell due",
}

# What a clinician records when they handle concerns; every outcome handles them.
OUTCOMES = {
    "called": "Called",
    "left_message": "Left a message",
    "no_answer": "No answer",
    "not_needed": "No call needed",
}
NOTE = "note"  # a timeline entry that handles nothing
# Slots worth naming in a reason ("moment" tasks happen once: their title says enough).
SLOTS_NAMED = {"morning", "midday", "evening", "night"}


@dataclass(frozen=True)
class Concern:
    """One concern as the dashboard shows it: enough to say why in words."""

    id: int
    kind: str
    raised_at: datetime
    expires_at: datetime | None
    day: date | None = None  # the client's local day it is about
    task: str | None = None  # the task's title
    slot: str | None = None  # morning, evening... (domain/slots.py)
    day_number: int | None = None  # day N after the session (day 1: the day it ends)
    session_number: int | None = None
    session_start: datetime | None = None  # in the client's zone
    since: datetime | None = None  # silent phone: last sync (None: never connected)
    added: datetime | None = None  # silent phone: when the client was added
    connected: datetime | None = None  # silent phone: when their first phone connected
    schedule: tuple[PlanWarning, ...] = ()  # the plan's warnings about its schedule
    # A line may stand for several concerns of one moment (the cleanse and the balm after it).
    ids: tuple[int, ...] = ()
    tasks: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # red flag: the reasons raised, in the protocol's words
    answers: str | None = None  # red flag: every answer, in words

    def __post_init__(self) -> None:
        if not self.ids:
            object.__setattr__(self, "ids", (self.id,))
        if not self.tasks and self.task:
            object.__setattr__(self, "tasks", (self.task,))


def together(concerns: list[Concern]) -> list[Concern]:
    """One line per missed moment: the tasks missed in one slot of one day are said at once."""
    lines: list[Concern] = []
    for concern in concerns:
        last = lines[-1] if lines else None
        if (
            last is not None
            and concern.kind in (MISSED_CRITICAL, MISSED_BEFORE_SESSION)
            and (last.kind, last.day, last.slot, last.session_number)
            == (concern.kind, concern.day, concern.slot, concern.session_number)
        ):
            lines[-1] = replace(last, ids=last.ids + concern.ids, tasks=last.tasks + concern.tasks)
        else:
            lines.append(concern)
    return lines


@dataclass(frozen=True)
class Sentence:
    """A reason in words, not yet in any language: an English message with %(name)s fields
    (its id in the catalogs) and their values: dates, moments, numbers, the tasks' titles
    and the slot's code, which the page writes in its own language."""

    message: str
    values: dict[str, object]


def sentence(concern: Concern) -> Sentence:
    """The concern in a sentence a clinician can act on."""
    if concern.kind == MISSED_CRITICAL:
        values = {"tasks": _tasks(concern), "number": concern.day_number, "day": concern.day}
        if concern.session_number:
            message = N_("Missed %(tasks)s on day %(number)d, %(day)s (after session %(session)d)")
            return Sentence(message, {**values, "session": concern.session_number})
        return Sentence(N_("Missed %(tasks)s on day %(number)d, %(day)s"), values)
    if concern.kind == MISSED_BEFORE_SESSION:
        values = {"tasks": _tasks(concern), "day": concern.day}
        start = concern.session_start.date() if concern.session_start else None
        if concern.session_number and start:
            message = N_("Missed %(tasks)s on %(day)s, before session %(session)d on %(start)s")
            return Sentence(message, {**values, "session": concern.session_number, "start": start})
        if start:
            message = N_("Missed %(tasks)s on %(day)s, before a session on %(start)s")
            return Sentence(message, {**values, "start": start})
        return Sentence(N_("Missed %(tasks)s on %(day)s, before a session soon"), values)
    if concern.kind == RED_FLAG:
        # The reasons and the answers are the protocol's words, quoted as the plan has them.
        values = {"day": concern.day, "flags": PlanWords("; ".join(concern.flags) or "a red flag")}
        if concern.answers:
            values["answers"] = PlanWords(concern.answers)
        if concern.day_number and concern.answers:
            message = N_(
                "Red flag in the check-in of day %(number)d, %(day)s: %(flags)s. "
                "Answers: %(answers)s."
            )
            return Sentence(message, {**values, "number": concern.day_number})
        if concern.day_number:
            message = N_("Red flag in the check-in of day %(number)d, %(day)s: %(flags)s.")
            return Sentence(message, {**values, "number": concern.day_number})
        if concern.answers:
            message = N_("Red flag in the check-in of %(day)s: %(flags)s. Answers: %(answers)s.")
            return Sentence(message, values)
        return Sentence(N_("Red flag in the check-in of %(day)s: %(flags)s."), values)
    if concern.kind == SCHEDULE:
        if concern.schedule:
            message = N_("Sessions overlap or are too close: %(detail)s")
            return Sentence(message, {"detail": ScheduleWords(concern.schedule)})
        return Sentence(N_("Sessions overlap or are too close together"), {})
    if concern.kind == SILENT_PHONE:
        if concern.since is None and concern.connected is not None:
            message = N_("Phone connected on %(day)s but never synced, while tasks fell due")
            return Sentence(message, {"day": concern.connected.date()})
        if concern.since is None and concern.added is not None:
            message = N_("No phone connected since being added on %(day)s, while tasks fell due")
            return Sentence(message, {"day": concern.added.date()})
        if concern.since is None:
            return Sentence(N_("No phone connected, while tasks fell due"), {})
        message = N_("Phone silent since %(moment)s, while tasks fell due")
        return Sentence(message, {"moment": concern.since})
    raise ValueError(f"unknown concern kind {concern.kind!r}")


@dataclass(frozen=True)
class PlanWords:
    """Words quoted as they are, in English: a red flag's reasons and answers in the words of
    the protocol's first language, with the server's "Yes"/"No"."""

    text: str


@dataclass(frozen=True)
class ScheduleWords:
    """The plan's warnings about its schedule, each with its message id and values (the page
    says them in its language: dashboard/plan_warnings.py)."""

    warnings: tuple[PlanWarning, ...]


@dataclass(frozen=True)
class Tasks:
    """The tasks of a missed moment, and its slot when a day has several."""

    titles: tuple[str, ...]
    slot: str | None  # morning, midday, evening or night; None for a moment's task


def _tasks(concern: Concern) -> Tasks:
    titles = tuple(title.strip() for title in concern.tasks)
    return Tasks(titles, concern.slot if concern.slot in SLOTS_NAMED else None)


def reason(concern: Concern) -> str:
    """The sentence in English with English dates, for logs and tests (the dashboard writes
    it in the page's language: dashboard/reasons.py)."""
    said = sentence(concern)
    return said.message % {name: _english(value) for name, value in said.values.items()}


def _english(value: object) -> object:
    if isinstance(value, PlanWords):
        return value.text
    if isinstance(value, ScheduleWords):
        return " ".join(warning.message for warning in value.warnings)
    if isinstance(value, Tasks):
        titles = " and ".join(f"“{title}”" for title in value.titles) or "a task"
        return f"{titles} ({value.slot})" if value.slot else titles
    if isinstance(value, datetime):
        return value.strftime("%a %-d %b, %H:%M")
    if isinstance(value, date):
        return value.strftime("%a %-d %b")
    return value


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 day', '2 days'."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
