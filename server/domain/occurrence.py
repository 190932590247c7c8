"""The state of one task occurrence: the one rule every surface shows (pwa/js/shared/occurrence.js
implements the same, and a test holds them to it).

Done is decided by the fold (sync.py); an occurrence not done is open until its time is up,
then missed, unless it was optional: those are never missed, only not done.
"""

from __future__ import annotations

from datetime import datetime

DONE, OPEN, MISSED, OPTIONAL_NOT_DONE = "done", "open", "missed", "optional-not-done"
# The clinic's word for a task not done that the phone never had before its time was up (a
# correction dated it in the past): not a miss. The phone shows only what it had.
NOT_SHOWN = "not-shown"
# How the clinic's page and CSV word each state.
LABELS = {
    DONE: "done",
    OPEN: "open",
    MISSED: "missed",
    OPTIONAL_NOT_DONE: "not done (optional)",
    NOT_SHOWN: "not on the phone in time",
}


def state(done: bool, optional: bool, due_end: datetime, now: datetime) -> str:
    """done, open (its time is not up), missed, or optional-not-done."""
    if done:
        return DONE
    if due_end > now:
        return OPEN
    return OPTIONAL_NOT_DONE if optional else MISSED


def as_the_clinic_counts(found: str, on_the_phone_in_time: bool) -> str:
    """The state the clinic sees: a miss of a task the phone never had in time is none."""
    return NOT_SHOWN if found == MISSED and not on_the_phone_in_time else found
