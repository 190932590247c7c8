"""How a client's sessions sit against each other: overlaps, and gaps the protocol forbids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from itertools import pairwise

from .protocol import SpacingRule
from .timeline import Session, local_date
from .wording import counted


@dataclass(frozen=True, slots=True)
class PlanWarning:
    code: str
    message: str
    date: date | None = None
    task: str | None = None  # the task it is about, so the client's phone can show it there


def session_warnings(
    sessions: Sequence[Session], rules: Sequence[SpacingRule], tz: tzinfo
) -> list[PlanWarning]:
    """What is wrong with the schedule itself; `sessions` in start order, `rules` those that
    apply to this client."""
    if not sessions:
        return [PlanWarning("no_sessions", "No treatment sessions are scheduled yet.")]
    warnings = []
    for number, (earlier, later) in enumerate(pairwise(sessions), start=2):
        day = local_date(later.start, tz)
        if later.start.astimezone(UTC) < earlier.end.astimezone(UTC):
            same = later.start == earlier.start and later.end == earlier.end
            message = (
                f"Sessions {number - 1} and {number} are the same session, entered twice."
                if same
                else f"Session {number} starts before session {number - 1} ends."
            )
            warnings.append(PlanWarning("sessions_overlap", message, day))
            # An overlap is also a gap too short: both are said, and both are flagged.
        gap = (day - local_date(earlier.start, tz)).days
        for rule in rules:
            if gap < rule.min_days:
                warnings.append(
                    PlanWarning(
                        "spacing_too_short",
                        f"Session {number} is {counted(gap, 'day')} after the previous one; "
                        f"this protocol asks for at least {rule.min_days}. {rule.note}".strip(),
                        day,
                    )
                )
            elif rule.max_days is not None and gap > rule.max_days:
                warnings.append(
                    PlanWarning(
                        "spacing_too_long",
                        f"Session {number} is {counted(gap, 'day')} after the previous one; "
                        f"this protocol asks for at most {rule.max_days}. {rule.note}".strip(),
                        day,
                    )
                )
    return warnings


# Warnings about the schedule itself, which the clinic fixes by moving a session (or, for
# care that falls after bedtime, by a call about when to do it).
SCHEDULE_PROBLEMS = ("sessions_overlap", "spacing_too_short", "task_after_bedtime")


def schedule_key(warnings: Sequence[PlanWarning]) -> str | None:
    """The schedule's problems as one text (None: none): equal while they are the same."""
    problems = [
        f"{w.code}@{w.date.isoformat() if w.date else ''}"
        for w in warnings
        if w.code in SCHEDULE_PROBLEMS
    ]
    return ";".join(problems)[:400] or None
