"""How a client's sessions sit against each other: overlaps, and gaps the protocol forbids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from itertools import pairwise

from .errors import Said
from .protocol import SpacingRule
from .timeline import Session, local_date
from .wording import N_, Nn_


@dataclass(frozen=True, slots=True)
class PlanWarning:
    code: str
    message: str  # in English, as the API says it
    date: date | None = None
    task: str | None = None  # the task it is about, so the client's phone can show it there
    # The message as the catalogs know it (an English id, its plural for a count other than
    # one, its values), so the dashboard can say it in its reader's language; "note" in the
    # values is the protocol's own words, said after it.
    template: str | None = None
    plural: str | None = None
    values: tuple[tuple[str, str | int], ...] = ()


def warning(
    code: str, said: Said, day: date | None = None, task: str | None = None, note: str = ""
) -> PlanWarning:
    """A warning in the plan's words (`said`), with the protocol's `note` after it."""
    values = tuple(said.values.items()) + ((("note", note),) if note else ())
    message = f"{said} {note}".strip()
    return PlanWarning(code, message, day, task, said.template, said.plural, values)


def session_warnings(
    sessions: Sequence[Session], rules: Sequence[SpacingRule], tz: tzinfo
) -> list[PlanWarning]:
    """What is wrong with the schedule itself; `sessions` in start order, `rules` those that
    apply to this client."""
    if not sessions:
        return [warning("no_sessions", Said(N_("No treatment sessions are scheduled yet.")))]
    warnings = []
    for number, (earlier, later) in enumerate(pairwise(sessions), start=2):
        day = local_date(later.start, tz)
        if later.start.astimezone(UTC) < earlier.end.astimezone(UTC):
            same = later.start == earlier.start and later.end == earlier.end
            message = (
                N_("Sessions %(earlier)d and %(later)d are the same session, entered twice.")
                if same
                else N_("Session %(later)d starts before session %(earlier)d ends.")
            )
            said = Said(message, {"earlier": number - 1, "later": number})
            warnings.append(warning("sessions_overlap", said, day))
            # An overlap is also a gap too short: both are said, and both are flagged.
        gap = (day - local_date(earlier.start, tz)).days
        values = {"session": number, "count": gap}
        for rule in rules:
            if gap < rule.min_days:
                one, many = Nn_(
                    "Session %(session)d is %(count)d day after the previous one; "
                    "this protocol asks for at least %(least)d.",
                    "Session %(session)d is %(count)d days after the previous one; "
                    "this protocol asks for at least %(least)d.",
                )
                said = Said(one, {**values, "least": rule.min_days}, many)
                warnings.append(warning("spacing_too_short", said, day, note=rule.note))
            elif rule.max_days is not None and gap > rule.max_days:
                one, many = Nn_(
                    "Session %(session)d is %(count)d day after the previous one; "
                    "this protocol asks for at most %(most)d.",
                    "Session %(session)d is %(count)d days after the previous one; "
                    "this protocol asks for at most %(most)d.",
                )
                said = Said(one, {**values, "most": rule.max_days}, many)
                warnings.append(warning("spacing_too_long", said, day, note=rule.note))
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
