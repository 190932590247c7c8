"""Sync rules shared by the server and the app (pwa/js/shared/fold.js implements the same).

The state of an occurrence is the action of its latest event, where events are ordered by
their device time in UTC, to the millisecond, then by event id (lower-case UUID text). Every
device and the server apply this same rule to the same set of events, so they agree without
trusting any clock for more than breaking ties between one person's own taps.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

DONE, UNDONE = "done", "undone"
ACTIONS = (DONE, UNDONE)
MAX_BATCH = 500
CURSOR_PREFIX = "c1:"
# Sequence numbers are 32-bit integers in the database; a cursor beyond them is not ours.
MAX_SEQ = 2**31 - 1
# A tick made before its task's day has begun is refused, but only when the day begins more
# than this after the phone's own time of the tick: a phone's clock may be hours off, a
# traveller's zone is not the plan's, and a client may tick a morning task just before
# midnight. A day is far more than either, and still no honest tick is that early.
EARLY_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Event:
    id: UUID
    occurrence: str
    action: str
    at: datetime  # aware, as the device said, truncated to the millisecond

    @property
    def order_key(self) -> tuple[datetime, str]:
        return (self.at.astimezone(UTC), str(self.id))

    def same_content(self, other: Event) -> bool:
        """True for a retry of this event; False for a different event under the same id."""
        return (
            self.occurrence == other.occurrence
            and self.action == other.action
            and self.at == other.at
            and self.at.utcoffset() == other.at.utcoffset()
        )


def to_milliseconds(moment: datetime) -> datetime:
    """Device times are compared to the millisecond, the precision a browser clock has."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def fold(events: Iterable[Event]) -> dict[str, str]:
    """occurrence id -> "done" or "undone", by the latest event of each occurrence."""
    latest: dict[str, Event] = {}
    for event in events:
        current = latest.get(event.occurrence)
        if current is None or event.order_key > current.order_key:
            latest[event.occurrence] = event
    return {occurrence: event.action for occurrence, event in latest.items()}


def done(events: Iterable[Event]) -> set[str]:
    return {occurrence for occurrence, action in fold(events).items() if action == DONE}


@dataclass(frozen=True, slots=True)
class Verdict:
    event: Event
    outcome: str  # "new", "duplicate", "conflict", "unknown_occurrence" or "not_yet_due"


def classify(
    batch: Iterable[Event], stored: Mapping[UUID, Event], day_starts: Mapping[str, datetime]
) -> list[Verdict]:
    """Decide each incoming event against what is stored and what came earlier in the batch.

    `day_starts` holds, for each occurrence the client was ever given, the moment its local
    day begins; an occurrence not in it is unknown.
    """
    seen: dict[UUID, Event] = dict(stored)
    verdicts = []
    for event in batch:
        previous = seen.get(event.id)
        if previous is not None:
            outcome = "duplicate" if previous.same_content(event) else "conflict"
        elif event.occurrence not in day_starts:
            outcome = "unknown_occurrence"
        elif day_starts[event.occurrence] - event.at > EARLY_TOLERANCE:
            outcome = "not_yet_due"
        else:
            outcome = "new"
            seen[event.id] = event
        verdicts.append(Verdict(event, outcome))
    return verdicts


def encode_cursor(seq: int) -> str:
    """An opaque pull cursor; clients store it and send it back, never read it."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The sequence number a cursor stands for (0 for none); ValueError if it is not ours."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise ValueError("not a cursor this server issued") from error
    digits = text[len(CURSOR_PREFIX) :]
    if not text.startswith(CURSOR_PREFIX) or not (digits.isascii() and digits.isdigit()):
        raise ValueError("not a cursor this server issued")
    if len(digits) > 10 or int(digits) > MAX_SEQ:
        raise ValueError("not a cursor this server issued")
    return int(digits)
