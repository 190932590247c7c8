"""The adherence calendar: one square per day of the plan, drawn as SVG on the server.

Counts per day in, markup out, in the page's language: words from the catalogs, dates and
week days written by Babel (outside a request, in English). Colours are SVG attributes (the
page's CSP allows no inline style). A day's state shows in where the square is inked, not in
its colour alone: a full square with a tick, three quarters, half, an empty square with a
cross, a dashed outline still to come, plain grey with no tasks. Any two states differ
somewhere in the square by at least 3:1 in contrast, also as people with red-green colour
blindness see it (tests/dashboard/test_heatmap.py checks it through a simulation). Each day
is a link, named with its date and counts, to its details below the calendar: reachable by
Tab and by touch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from babel import Locale
from babel.dates import format_skeleton, get_day_names
from babel.numbers import format_percent
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..clinic.adherence import DayCount
from ..languages import LANGUAGES, SOURCE

CELL, GAP, LEFT, TOP = 34, 8, 56, 24
PAPER, INK, MISSED, EDGE, GREY = "#ffffff", "#0a3069", "#a40e26", "#59636e", "#e6e9ec"
MARKER = "#1f2328"  # the session dot and today's ring


@dataclass(frozen=True)
class Look:
    """How a day in one state is drawn."""

    meaning: str
    paper: str  # the square's fill
    quarters: int = 0  # how much of the square, from the bottom, is inked with INK
    edge: str = EDGE
    dashed: bool = False
    mark: str = ""  # "tick" or "cross", drawn in the middle in mark_colour
    mark_colour: str = PAPER

    def zones(self) -> dict[str, str]:
        """The colour of each part of the square: its outline, four bands top to bottom,
        and the middle (the mark, or the band under it)."""
        bands = [INK if band >= 4 - self.quarters else self.paper for band in range(4)]
        named = {f"band{band}": colour for band, colour in enumerate(bands)}
        return {"edge": self.edge, **named, "middle": self.mark_colour if self.mark else bands[2]}


# By share done, best first: (lowest share, state).
LEVELS = ((1.0, "all"), (0.75, "most"), (0.25, "some"), (0.0, "none"))
LOOKS = {
    "all": Look(_l("all done"), INK, 4, INK, mark="tick", mark_colour=PAPER),
    "most": Look(_l("most done (¾ or more)"), PAPER, 3, INK),
    "some": Look(_l("some done (¼ or more)"), PAPER, 2, INK),
    "none": Look(_l("little or none done"), PAPER, 0, MISSED, mark="cross", mark_colour=MISSED),
    "upcoming": Look(_l("to come"), PAPER, dashed=True),
    "no-tasks": Look(_l("no tasks"), GREY, edge=GREY),
}


def locale() -> Locale:
    """The page's locale; English outside a request (tests of the drawing)."""
    return get_locale() or Locale.parse(LANGUAGES[SOURCE].babel)


def day_month(day: date) -> str:
    """ "19 Mar" in English, each language its own way."""
    return format_skeleton("MMMd", day, locale=locale())


def weekday_day_month(day: date) -> str:
    """ "Thu 19 Mar"."""
    return format_skeleton("MMMEd", day, locale=locale())


def listed(parts: list[str]) -> str:
    """ "a, b, c" with the page's language's comma."""
    said = parts[0]
    for part in parts[1:]:
        said = _("%(list)s, %(item)s", list=said, item=part)
    return said


@dataclass(frozen=True)
class CalendarDay:
    """One square: its day, state and the sentence that names it."""

    day: date
    state: str
    label: str  # "Thu 19 Mar: 3 of 6 tasks done (some done), session day"
    counts: str  # "3 of 6 tasks done (some done)"


def share_done(day: DayCount) -> float | None:
    """Done out of due so far (early ticks count); None when nothing is due yet."""
    due = max(day.due, day.done)
    return None if due == 0 else day.done / due


def level(share: float) -> str:
    """The state of a day with this share of its due tasks done."""
    return next(state for lowest, state in LEVELS if share >= lowest)


def summary(days: Sequence[DayCount]) -> str:
    """The calendar in one or two sentences, for people who do not see it."""
    due = sum(max(d.due, d.done) for d in days)
    done = sum(d.done for d in days)
    if due == 0:
        return _("No tasks have fallen due yet.")
    shares = [(d.day, share_done(d)) for d in days if share_done(d) is not None]
    perfect = sum(1 for _day, share in shares if share == 1)
    missed = [day for day, share in shares if share < 1]
    share = format_percent(done / due, locale=locale())
    text = ngettext(
        "%(done)d of %(num)d task done so far (%(share)s); "
        "every task done on %(perfect)d of %(days)d days.",
        "%(done)d of %(num)d tasks done so far (%(share)s); "
        "every task done on %(perfect)d of %(days)d days.",
        due,
        done=done,
        share=share,
        perfect=perfect,
        days=len(shares),
    )
    if missed:
        days_missed = listed([day_month(day) for day in missed[:8]])
        if len(missed) > 8:
            more = _(
                "Tasks missed on %(days)s and %(num)d more.", days=days_missed, num=len(missed) - 8
            )
        else:
            more = _("Tasks missed on %(days)s.", days=days_missed)
        text = f"{text} {more}"
    return text


def calendar_days(
    days: Sequence[DayCount], today: date, session_days: set[date]
) -> list[CalendarDay]:
    """Every day the calendar draws, from the first session or task to the last."""
    if not days:
        return []
    counts = {d.day: d for d in days}
    start = min([days[0].day, *session_days])
    last = max([days[-1].day, *session_days])
    return [
        _described(start + timedelta(days=n), counts, today, session_days)
        for n in range((last - start).days + 1)
    ]


def _described(day: date, counts: dict, today: date, session_days: set[date]) -> CalendarDay:
    count = counts.get(day)
    share = None if count is None else share_done(count)
    if count is None:
        state, said = "no-tasks", _("no aftercare tasks")
    elif share is None:
        state = "upcoming"
        said = ngettext("%(num)d task to come", "%(num)d tasks to come", count.planned)
    else:
        state = level(share)
        said = ngettext(
            "%(done)d of %(num)d task done (%(state)s)",
            "%(done)d of %(num)d tasks done (%(state)s)",
            max(count.due, count.done),
            done=count.done,
            state=LOOKS[state].meaning,
        )
    notes = [said] + ([_("session day")] if day in session_days else [])
    notes += [_("today")] if day == today else []
    label = _("%(day)s: %(notes)s", day=weekday_day_month(day), notes=listed(notes))
    return CalendarDay(day, state, label, said)


def render(
    days: Sequence[DayCount], today: date, session_days: set[date], label: str = "heatmap"
) -> str:
    """The calendar as an SVG element, Monday to Sunday across, one week a row."""
    drawn = calendar_days(days, today, session_days)
    if not drawn:
        return ""
    label = escape(label)
    title = escape(_("Aftercare adherence, day by day"))  # outside the f-string: extracted
    first = drawn[0].day - timedelta(days=drawn[0].day.weekday())
    weeks = (drawn[-1].day - first).days // 7 + 1
    width, height = LEFT + 7 * (CELL + GAP), TOP + weeks * (CELL + GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="group" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{label}-title" aria-describedby="{label}-desc">',
        f'<title id="{label}-title">{title}</title>',
        f'<desc id="{label}-desc">{escape(summary(days))}</desc>',
    ]
    # Week days and dates are CLDR's words, not the catalogs': marked as dates.
    weekdays = get_day_names("abbreviated", locale=locale())
    for column in range(7):  # Monday first
        x = LEFT + column * (CELL + GAP) + CELL / 2
        parts.append(
            f'<text x="{x}" y="14" text-anchor="middle" font-size="11" aria-hidden="true" '
            f'data-source="dates">{escape(weekdays[column])}</text>'
        )
    for week in range(weeks):
        monday = first + timedelta(weeks=week)
        y = TOP + week * (CELL + GAP)
        parts.append(
            f'<text x="0" y="{y + CELL * 0.65}" font-size="11" aria-hidden="true" '
            f'data-source="dates">{escape(day_month(monday))}</text>'
        )
    for each in drawn:
        week, column = divmod((each.day - first).days, 7)
        x, y = LEFT + column * (CELL + GAP), TOP + week * (CELL + GAP)
        parts.append(_day_link(each, x, y, today, session_days))
    parts.append("</svg>")
    return "".join(parts)


def _day_link(each: CalendarDay, x: int, y: int, today: date, session_days: set[date]) -> str:
    iso = each.day.isoformat()
    return (
        f'<a href="#day-{iso}" id="cal-{iso}" class="day-link" aria-label="{escape(each.label)}">'
        f'<g class="day" data-date="{iso}" data-state="{each.state}">'
        f"<title>{escape(each.label)}</title>"
        f'<rect class="focus-ring" x="{x - 4}" y="{y - 4}" width="{CELL + 8}" '
        f'height="{CELL + 8}" fill="none" stroke="#0b5cad" stroke-width="3" visibility="hidden"/>'
        f"{square(LOOKS[each.state], x, y, CELL, each.day in session_days, each.day == today)}"
        f"</g></a>"
    )


def square(look: Look, x: float, y: float, size: float, session: bool, today: bool) -> str:
    """One day's square in `look`, with the session dot and today's ring when they apply."""
    parts = [f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{look.paper}"/>']
    if 0 < look.quarters < 4:
        top = y + size * (4 - look.quarters) / 4
        parts.append(
            f'<rect x="{x}" y="{top}" width="{size}" height="{y + size - top}" fill="{INK}"/>'
        )
    dash = ' stroke-dasharray="4 3"' if look.dashed else ""
    parts.append(
        f'<rect x="{x + 1}" y="{y + 1}" width="{size - 2}" height="{size - 2}" fill="none" '
        f'stroke="{look.edge}" stroke-width="2"{dash}/>'
    )
    if look.mark:
        parts.append(_mark(look, x, y, size))
    if session:
        parts.append(
            f'<circle class="session" cx="{x + size - size * 0.2}" cy="{y + size * 0.2}" '
            f'r="{size * 0.12}" fill="{MARKER}" stroke="{PAPER}" stroke-width="1.5"/>'
        )
    if today:
        parts.append(
            f'<rect class="today" x="{x - 2.5}" y="{y - 2.5}" width="{size + 5}" '
            f'height="{size + 5}" fill="none" stroke="{MARKER}" stroke-width="2"/>'
        )
    return "".join(parts)


def _mark(look: Look, x: float, y: float, size: float) -> str:
    def at(u: float, v: float) -> str:
        return f"{x + u * size:g} {y + v * size:g}"

    if look.mark == "tick":
        path = f"M{at(0.25, 0.52)} L{at(0.43, 0.7)} L{at(0.76, 0.32)}"
    else:
        path = f"M{at(0.3, 0.3)} L{at(0.7, 0.7)} M{at(0.7, 0.3)} L{at(0.3, 0.7)}"
    return (
        f'<path d="{path}" fill="none" stroke="{look.mark_colour}" stroke-width="{size / 10:g}" '
        f'stroke-linecap="round" stroke-linejoin="round"/>'
    )


LEGEND_SWATCH = 22


def legend() -> str:
    """Every state, the session dot and today's ring, each beside a small square drawn as in
    the calendar: HTML, so it wraps on a phone and reads as a list."""
    size, pad = LEGEND_SWATCH, 4
    items = [(look, False, False, look.meaning) for look in LOOKS.values()]
    items += [
        (LOOKS["upcoming"], True, False, _("session day (the dot)")),
        (LOOKS["upcoming"], False, True, _("today (the dark ring)")),
    ]
    entries = []
    for look, session, today, meaning in items:
        box = size + 2 * pad
        drawn = square(look, pad, pad, size, session, today)
        entries.append(
            f'<li><svg xmlns="http://www.w3.org/2000/svg" width="{box}" height="{box}" '
            f'viewBox="0 0 {box} {box}" aria-hidden="true" focusable="false">{drawn}</svg>'
            f"{escape(str(meaning))}</li>"
        )
    key = escape(_("Key to the calendar"))
    return f'<ul class="heatmap-legend" aria-label="{key}">{"".join(entries)}</ul>'
