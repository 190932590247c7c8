"""How the dashboard writes times, shares and flags."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .. import clock
from ..domain.concerns import OUTCOMES, plural, reason
from ..domain.contact import pieces
from ..plans.translations import language_name


def local(moment: datetime | None, zone: str, pattern: str = "%a %-d %b %Y, %H:%M") -> str:
    """A moment as the clock on the wall in `zone` showed it."""
    if moment is None:
        return "—"
    return moment.astimezone(ZoneInfo(zone)).strftime(pattern)


def ago(moment: datetime | None) -> str:
    """How long ago, roughly: "3 h ago", "2 days ago", "never"."""
    if moment is None:
        return "never"
    seconds = (clock.now() - moment).total_seconds()
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))} min ago"
    if seconds < 48 * 3600:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"


def days_since(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    days = (clock.now() - moment).days
    return "today" if days == 0 else f"{days} day{'s' if days != 1 else ''}"


def dates(days) -> str:
    """ "Sat 7 Mar, Sat 21 Mar" (empty for none)."""
    return ", ".join(day.strftime("%a %-d %b") for day in days)


def percent(share: float | None) -> str:
    return "—" if share is None else f"{round(100 * share)}%"


def helpers() -> dict:
    return {
        "local": local,
        "ago": ago,
        "days_since": days_since,
        "percent": percent,
        "dates": dates,
        "contact_pieces": pieces,
        "reason": reason,
        "outcomes": OUTCOMES,
        "plural": plural,
        "language_name": language_name,
    }
