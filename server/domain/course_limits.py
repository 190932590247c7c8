"""How far from today a session may be, and how long a course may run: typos stay out of plans.

A plan holds tasks for every day from pre-care before the first session to aftercare after
the last, so its size grows with the course's span: a year typed as 2099 instead of 2026
would ask for a century of daily tasks. Real appointments are booked months ahead, are
entered at most some months late, and a course with its touch-ups spans a year or two.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import InvalidField
from .wording import counted

# A session entered with a start before now is usually a typo (last year, yesterday's date),
# and it would quietly renumber the sessions after it. But clinics do need to record one that
# really happened: a client added after their first session, or one not entered on the day.
# So a start in the past is refused unless the clinic says it already happened (the form's
# "already happened" box); a session already in the past may keep its start while its length
# is corrected, and the message after any change says which sessions were renumbered.
PAST_HINT = "tick “Already happened” to record a session that took place"


@dataclass(frozen=True)
class CourseLimits:
    days_back: int = 365  # a session entered late, or a past course on record
    days_ahead: int = 730  # booked well ahead
    longest_course_days: int = 730  # first session's start to the last one's

    def check(
        self,
        changed: Iterable[datetime],
        all_starts: Iterable[datetime],
        now: datetime,
        field: str,
    ) -> None:
        """Refuse (InvalidField on `field`) a changed session's start outside the range around
        `now`, or a course whose sessions, changed ones included, span too long."""
        earliest, latest = (
            now - timedelta(days=self.days_back),
            now + timedelta(days=self.days_ahead),
        )
        for start in changed:
            if not earliest <= start <= latest:
                raise InvalidField(
                    field,
                    f"A session must start between {earliest:%Y-%m-%d} and {latest:%Y-%m-%d} "
                    f"(at most {counted(self.days_back, 'day')} ago and "
                    f"{counted(self.days_ahead, 'day')} ahead): "
                    "check the year.",
                )
        starts = sorted(all_starts)
        if starts and starts[-1] - starts[0] > timedelta(days=self.longest_course_days):
            raise InvalidField(
                field,
                f"The sessions span {counted((starts[-1] - starts[0]).days, 'day')}; a course "
                f"may span at most {counted(self.longest_course_days, 'day')} from its first "
                "session to its last.",
            )


def check_not_past(
    start: datetime, now: datetime, field: str, *, happened: bool, was: datetime | None = None
) -> None:
    """Refuse (InvalidField on `field`) a start before `now`, unless the clinic said the session
    `happened` or it is a past session's start left as it was (`was`)."""
    unchanged = was is not None and abs(start - was) < timedelta(minutes=1)  # forms show minutes
    if start >= now or happened or unchanged:
        return
    raise InvalidField(
        field,
        f"{start:%a %-d %b %Y, %H:%M} has already passed. Choose a later time, or {PAST_HINT}.",
    )
