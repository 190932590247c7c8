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
from .wording import N_, Nn_

# A session entered with a start before now is usually a typo (last year, yesterday's date),
# and it would quietly renumber the sessions after it. But clinics do need to record one that
# really happened: a client added after their first session, or one not entered on the day.
# So a start in the past is refused unless the clinic says it already happened (the form's
# "already happened" box); a session already in the past may keep its start while its length
# is corrected, and the message after any change says which sessions were renumbered.


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
                message = N_(
                    "A session must start between %(earliest)s and %(latest)s (at most "
                    "%(back)d days ago and %(ahead)d days ahead): check the year."
                )
                raise InvalidField(
                    field,
                    message,
                    earliest=earliest.date(),
                    latest=latest.date(),
                    back=self.days_back,
                    ahead=self.days_ahead,
                )
        starts = sorted(all_starts)
        if starts and starts[-1] - starts[0] > timedelta(days=self.longest_course_days):
            one, many = Nn_(
                "The sessions span %(count)d day; a course may span at most %(longest)d days "
                "from its first session to its last.",
                "The sessions span %(count)d days; a course may span at most %(longest)d days "
                "from its first session to its last.",
            )
            span, longest = (starts[-1] - starts[0]).days, self.longest_course_days
            raise InvalidField(field, one, plural=many, count=span, longest=longest)


def check_not_past(
    start: datetime, now: datetime, field: str, *, happened: bool, was: datetime | None = None
) -> None:
    """Refuse (InvalidField on `field`) a start before `now`, unless the clinic said the session
    `happened` or it is a past session's start left as it was (`was`)."""
    unchanged = was is not None and abs(start - was) < timedelta(minutes=1)  # forms show minutes
    if start >= now or happened or unchanged:
        return
    message = N_(
        "%(start)s has already passed. Choose a later time, or tick “Already happened” to "
        "record a session that took place."
    )
    raise InvalidField(field, message, start=start)
