"""How the dashboard writes times, shares and flags: in the page's language, by Babel (CLDR)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask_babel import format_percent, get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from .. import clock
from ..domain.concerns import plural
from ..domain.contact import pieces
from ..languages import own_name
from .labels import OUTCOMES, ROLES, TASK_STATES

# What each form of a moment shows, as CLDR skeletons: each language orders and spells them
# its own way ("Sun, 19 Apr 2026" in English, "الأحد، 19 أبريل 2026" in Arabic).
DATE_SKELETONS = {
    "datetime": "yMMMEd",
    "datetime_seconds": "yMMMEd",
    "day_time": "MMMEd",
    "date": "yMMMd",
    "day": "MMMEd",
    "day_month": "MMMd",
    "long_day": "MMMMEEEEd",
}
TIME_SKELETONS = {"datetime": "Hm", "datetime_seconds": "Hms", "day_time": "Hm", "time": "Hm"}


def local(moment: datetime | None, zone: str, form: str = "datetime") -> Markup:
    """A moment as the clock on the wall in `zone` showed it, in one of the forms above: a
    <time> element (the pseudo-locale test knows its text for data)."""
    if moment is None:
        return Markup("—")
    moment = moment.astimezone(ZoneInfo(zone))
    return Markup('<time datetime="{}">{}</time>').format(moment.isoformat(), wall(moment, form))


def on(value: date | time, form: str) -> Markup:
    """A day, or a time of day, already on the client's clock, as a <time> element."""
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), wall(value, form))


def wall(moment: datetime | time | date, form: str) -> str:
    """A moment already in its zone, as plain text in one of the forms above."""
    locale = get_locale()
    date_part = DATE_SKELETONS.get(form) and format_skeleton(
        DATE_SKELETONS[form], moment, locale=locale
    )
    time_part = TIME_SKELETONS.get(form) and format_skeleton(
        TIME_SKELETONS[form], moment, locale=locale
    )
    if date_part and time_part:
        return locale.datetime_formats["medium"].format(time_part, date_part)
    return date_part or time_part


def ago(moment: datetime | None) -> str:
    """How long ago, roughly: "3 h ago", "2 days ago", "never"."""
    if moment is None:
        return _("never")
    seconds = (clock.now() - moment).total_seconds()
    if seconds < 3600:
        minutes = max(0, int(seconds // 60))
        return ngettext("%(num)d min ago", "%(num)d min ago", minutes)
    if seconds < 48 * 3600:
        return ngettext("%(num)d h ago", "%(num)d h ago", int(seconds // 3600))
    return ngettext("%(num)d day ago", "%(num)d days ago", int(seconds // 86400))


def days_since(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    days = (clock.now() - moment).days
    return _("today") if days == 0 else ngettext("%(num)d day", "%(num)d days", days)


def dates(days: list[date]) -> str:
    """ "Sat, 7 Mar, Sat, 21 Mar" (empty for none)."""
    return "; ".join(format_skeleton("MMMEd", day, locale=get_locale()) for day in days)


def percent(share: float | None) -> str:
    return "—" if share is None else format_percent(round(share, 2))


def helpers() -> dict:
    return {
        "local": local,
        "on": on,
        "wall": wall,
        "ago": ago,
        "days_since": days_since,
        "percent": percent,
        "dates": dates,
        "contact_pieces": pieces,
        "outcomes": OUTCOMES,
        "task_states": TASK_STATES,
        "role_names": ROLES,
        "plural": plural,
        "language_name": own_name,
    }
