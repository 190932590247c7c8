"""Which reminders a client gets: one per slot, at their own local time, never in quiet hours.

Daily slots (morning, midday, evening, night) follow the wall clock of the zone the phone last
reported, so a client who flies still gets the morning reminder in their new morning. A
"moment" task (shower before a session) is tied to the session itself and keeps its instant.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .checkins import CHECKIN_TASK
from .timeline import localize

DISCREET_TITLE = "Aftercue"  # the product's name, in every language
DISCREET_BODY = "You have an aftercare task due."


@dataclass(frozen=True, slots=True)
class Wording:
    """A reminder's own words in the client's language (reminders/wording.py fills them from
    the catalogs); the tasks' titles come from the protocol in that language."""

    slot_titles: Mapping[str, str]  # slot -> "Morning aftercare"
    other_title: str  # a moment's reminder: "Aftercare"
    then: str  # joins two tasks: "%(earlier)s, then %(later)s"
    discreet_body: str


ENGLISH = Wording(
    {
        "morning": "Morning aftercare",
        "midday": "Midday aftercare",
        "evening": "Evening aftercare",
        "night": "Bedtime aftercare",
    },
    "Aftercare",
    "%(earlier)s, then %(later)s",
    DISCREET_BODY,
)


@dataclass(frozen=True, slots=True)
class Due:
    """A plan occurrence as the reminder planner needs it."""

    id: str
    task_id: str
    date: date
    slot: str
    at: datetime  # aware
    due_end: datetime  # aware
    follows: str | None = None


@dataclass(frozen=True, slots=True)
class Slot:
    key: str  # stable per client: date, slot and (for a moment) task
    due_at: datetime  # UTC
    expires_at: datetime  # UTC: later than this it is dropped, not delivered late
    occurrence_ids: tuple[str, ...]
    task_ids: tuple[str, ...]
    slot: str


def plan_slots(
    occurrences: Iterable[Due],
    plan_zone: str,
    phone_zone: str | None,
    quiet: tuple[time, time] | None,
    grace: timedelta,
) -> list[Slot]:
    """The client's reminders, grouped by slot and placed in the phone's zone; the check-in
    is left out (a reminder says what to do to the scalp, and an unanswered check-in is
    no missed care)."""
    groups: dict[str, list[Due]] = {}
    # A stable sort keeps the plan's order within a slot: the cleanse before its balm.
    tasks = (o for o in occurrences if o.task_id != CHECKIN_TASK)
    for occurrence in sorted(tasks, key=lambda o: o.at.astimezone(UTC)):
        suffix = f"|{occurrence.task_id}" if occurrence.slot == "moment" else ""
        groups.setdefault(f"{occurrence.date.isoformat()}|{occurrence.slot}{suffix}", []).append(
            occurrence
        )
    plan_tz, phone_tz = ZoneInfo(plan_zone), ZoneInfo(phone_zone or plan_zone)
    slots = []
    for key, members in groups.items():
        first = members[0]
        due = first.at.astimezone(UTC)
        if first.slot != "moment" and phone_tz != plan_tz:
            wall = first.at.astimezone(plan_tz).replace(tzinfo=None)
            due = localize(wall, phone_tz)
        # The window keeps its length when the reminder moves with a traveller.
        window = max(o.due_end for o in members).astimezone(UTC) - first.at.astimezone(UTC)
        end = due + window
        due = outside_quiet_hours(due, phone_tz, quiet)
        if due is None or due >= end:
            continue
        # The grace runs from when it may be sent: quiet until 08:00 sends a 07:30 one at 08:00.
        expires = min(due + grace, end)
        slots.append(
            Slot(
                key,
                due,
                expires,
                tuple(o.id for o in members),
                tuple(o.task_id for o in members),
                first.slot,
            )
        )
    return slots


def outside_quiet_hours(
    due: datetime, tz: ZoneInfo, quiet: tuple[time, time] | None
) -> datetime | None:
    """`due`, or the end of the quiet hours it falls in (which may cross midnight)."""
    if quiet is None or quiet[0] == quiet[1]:
        return due
    start, end = quiet
    local = due.astimezone(tz)
    moment = local.time()
    inside = start <= moment < end if start < end else moment >= start or moment < end
    if not inside:
        return due
    end_day = local.date() if moment < end else local.date() + timedelta(days=1)
    return localize(datetime.combine(end_day, end), tz)


def describe(
    task_ids: Sequence[str],
    titles: Mapping[str, str],
    slot: str,
    discreet: bool,
    words: Wording = ENGLISH,
) -> tuple[str, str]:
    """Notification title and text: "Cleanse your scalp, then apply balm"."""
    if discreet:
        return DISCREET_TITLE, words.discreet_body
    names = [titles.get(task_id, task_id) for task_id in task_ids]
    text = names[0]
    for name in names[1:]:  # a title starts a sentence; within one it starts lower case
        text = words.then % {"earlier": text, "later": name[0].lower() + name[1:]}
    return words.slot_titles.get(slot, words.other_title), text


def topic(client_id: int, key: str) -> str:
    """A push Topic (at most 32 base64url characters): newer messages for a slot replace older."""
    digest = hashlib.sha256(f"{client_id}|{key}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]
