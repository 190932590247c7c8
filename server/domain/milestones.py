"""When each restriction lifts: the milestones a client looks forward to ("you can shave")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from .protocol import Restriction
from .timeline import local_date


@dataclass(frozen=True, slots=True)
class Milestone:
    restriction_id: str
    at: datetime
    date: date
    text: str


def milestones(
    rules: Iterable[Restriction], windows: Mapping[str, list], tz: tzinfo
) -> tuple[Milestone, ...]:
    """When each restriction lifts, unless a later rule of its kind, or one superseding it, has
    taken over.

    `windows` maps each restriction that applies to its (start, end) windows. With sessions
    five days apart, "you can shower normally again" from the first session would fall inside
    the next session's "no water on your scalp": a lift inside a same-category window that
    began later than the lifting one is left out.
    """
    by_id = {r.id: r for r in rules}
    found = [
        Milestone(rid, end.astimezone(tz), local_date(end, tz), by_id[rid].lifted)
        for rid, spans in windows.items()
        for start, end in spans
        if end is not None
        and by_id[rid].lifted
        and not _taken_over(rid, start, end, windows, by_id)
    ]
    return tuple(sorted(found, key=lambda m: (m.at.astimezone(UTC), m.restriction_id)))


def _taken_over(rid: str, began: datetime, lifts: datetime, windows, by_id) -> bool:
    """A later rule of its kind holds on past the lift, or one that supersedes it does."""
    category = by_id[rid].category
    return any(
        (began < start or rid in by_id[other].supersedes)
        and start < lifts
        and (end is None or lifts < end)
        for other, spans in windows.items()
        if other != rid and by_id[other].category == category
        for start, end in spans
    )
