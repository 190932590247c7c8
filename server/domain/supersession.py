"""A stricter restriction hides a milder one of its kind while both hold, so the plan never
shows "no water on your scalp" beside "gentle showers only"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from .protocol import Restriction
from .timeline import merge, subtract

_NEVER = datetime.max.replace(tzinfo=UTC)  # stands in for an open end while subtracting

Windows = list[tuple[datetime, datetime | None]]


def shown_windows(
    rules: Iterable[Restriction], windows: Mapping[str, Windows]
) -> dict[str, Windows]:
    """Each restriction's windows less those of the restrictions that supersede it.

    `windows` maps each restriction that applies to its merged windows. A restriction
    hidden for its whole course keeps no window at all.
    """
    hiders: dict[str, Windows] = {rid: [] for rid in windows}
    for rule in rules:
        if rule.id not in windows:
            continue
        for milder in rule.supersedes:
            if milder in hiders:
                hiders[milder] += windows[rule.id]
    return {rid: _less(spans, merge(hiders[rid])) for rid, spans in windows.items()}


def _less(spans: Windows, hidden: Windows) -> Windows:
    if not hidden:
        return spans
    closed = [(start, _NEVER if end is None else end) for start, end in spans]
    left = subtract(closed, [(start, _NEVER if end is None else end) for start, end in hidden])
    return [(start, None if end == _NEVER else end) for start, end in left]
