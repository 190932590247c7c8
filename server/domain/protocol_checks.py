"""Checks of a protocol's meaning that its shape cannot show: rules that would never apply.

A window that never opens, or a follower that never meets its predecessor, is not an error
the plan engine can report: the task or restriction just never appears. These checks try
each rule on sample sessions, so `protocols check` can say so instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from .protocol import Anchor, Condition, WindowSpec
from .timeline import Session, intersect, merge, resolve, resolve_windows

# Sessions a clinic books, from early to past midnight, in UTC so no clock change hides one.
_DAY = datetime(2026, 3, 10, tzinfo=UTC)
SAMPLE_SESSIONS = tuple(
    Session(f"s{start}", _DAY + timedelta(hours=start), _DAY + timedelta(hours=end))
    for start, end in ((9, 10), (10, 13), (14, 18), (18, 22.5), (22, 25))
)
# Courses of one, two and three sessions, a week and four weeks apart.
SAMPLE_COURSES = tuple(
    tuple(
        Session(
            f"c{count}-{gap}-{n}",
            _DAY + timedelta(days=gap * n, hours=10),
            _DAY + timedelta(days=gap * n, hours=13),
        )
        for n in range(count)
    )
    for count, gap in ((1, 7), (2, 7), (3, 7), (2, 28))
)
# Anchors whose start and end count from one and the same session.
_ONE_SESSION = {Anchor.EACH_SESSION, Anchor.FIRST_SESSION, Anchor.FINAL_SESSION}


def never_opens(window: WindowSpec) -> Session | None:
    """A sample session for which the window would end before (or as) it starts, if any."""
    if window.end is None or window.anchor not in _ONE_SESSION:
        return None  # between sessions, the end counts from a later session
    for session in SAMPLE_SESSIONS:
        start = resolve(window.start, session, UTC, is_end=False)
        if resolve(window.end, session, UTC, is_end=True) <= start:
            return session
    return None


def never_overlap(first: Sequence[WindowSpec], second: Sequence[WindowSpec]) -> bool:
    """True when no sample course has a moment inside both sets of windows."""
    for course in SAMPLE_COURSES:
        a = merge(interval for interval, _ in resolve_windows(first, course, UTC))
        b = merge(interval for interval, _ in resolve_windows(second, course, UTC))
        # intersect() takes an open end (a restriction's) only in its second list.
        bounded = [(start, end or datetime.max.replace(tzinfo=UTC)) for start, end in a]
        if intersect(bounded, b):
            return False
    return True


def answers_left_out(
    follower: Condition, leader: Condition, options: Mapping[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """Answers for which the follower applies but its leader does not: question -> values."""
    left_out = {}
    for question, allowed in leader.items():
        follower_allows = follower.get(question, options.get(question, frozenset()))
        if extra := follower_allows - allowed:
            left_out[question] = frozenset(extra)
    return left_out
