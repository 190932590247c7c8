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
                    f"(at most {self.days_back} days ago and {self.days_ahead} days ahead): "
                    "check the year.",
                )
        starts = sorted(all_starts)
        if starts and starts[-1] - starts[0] > timedelta(days=self.longest_course_days):
            raise InvalidField(
                field,
                f"The sessions span {(starts[-1] - starts[0]).days} days; a course may span "
                f"at most {self.longest_course_days} days from its first session to its last.",
            )
