"""The adherence calendar: one square per day of the plan, drawn as SVG on the server.

Pure: counts per day in, markup out. Colours are SVG attributes (the page's CSP allows no
inline style), and every square carries a <title>, the whole picture a <title> and <desc>.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from ..clinic.adherence import DayCount

CELL, GAP, LEFT, TOP = 34, 5, 56, 24
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# (lowest share done, fill, what it means), best first.
LEVELS = (
    (1.0, "#1a7f37", "all done"),
    (0.75, "#6cc070", "most done"),
    (0.25, "#f0b429", "some done"),
    (0.0, "#cf222e", "little or none done"),
)
UPCOMING, NO_TASKS, OUTLINE = "#ffffff", "#eef0f2", "#59636e"
LEGEND = [(fill, meaning) for _, fill, meaning in LEVELS] + [(UPCOMING, "to come")]
LEGEND_WIDTH = sum(24 + 6 * len(meaning) for _, meaning in LEGEND)


def share_done(day: DayCount) -> float | None:
    """Done out of due so far (early ticks count); None when nothing is due yet."""
    due = max(day.due, day.done)
    return None if due == 0 else day.done / due


def level(share: float) -> tuple[str, str]:
    """(fill, meaning) for a share of tasks done."""
    for lowest, fill, meaning in LEVELS:
        if share >= lowest:
            return fill, meaning
    return LEVELS[-1][1:]


def summary(days: Sequence[DayCount]) -> str:
    """The calendar in one or two sentences, for people who do not see it."""
    due = sum(max(d.due, d.done) for d in days)
    done = sum(d.done for d in days)
    if due == 0:
        return "No tasks have fallen due yet."
    shares = [(d.day, share_done(d)) for d in days if share_done(d) is not None]
    perfect = sum(1 for _, share in shares if share == 1)
    missed = [day for day, share in shares if share < 1]
    text = f"{done} of {due} tasks done so far ({round(100 * done / due)}%); "
    text += f"every task done on {perfect} of {len(shares)} days."
    if missed:
        listed = ", ".join(day.strftime("%-d %b") for day in missed[:8])
        more = f" and {len(missed) - 8} more" if len(missed) > 8 else ""
        text += f" Tasks missed on {listed}{more}."
    return text


def render(
    days: Sequence[DayCount], today: date, session_days: set[date], label: str = "heatmap"
) -> str:
    """The calendar as an SVG element, Monday to Sunday across, one week a row."""
    if not days:
        return ""
    label = escape(label)
    counts = {d.day: d for d in days}
    start = min([days[0].day, *session_days])
    last = max([days[-1].day, *session_days])
    first = start - timedelta(days=start.weekday())
    weeks = (last - first).days // 7 + 1
    width = max(LEFT + 7 * (CELL + GAP), LEGEND_WIDTH)
    height = TOP + weeks * (CELL + GAP) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{label}-title {label}-desc">',
        f'<title id="{label}-title">Aftercare adherence, day by day</title>',
        f'<desc id="{label}-desc">{escape(summary(days))}</desc>',
    ]
    for column, name in enumerate(WEEKDAYS):
        x = LEFT + column * (CELL + GAP) + CELL / 2
        parts.append(f'<text x="{x}" y="14" text-anchor="middle" font-size="11">{name}</text>')
    for week in range(weeks):
        monday = first + timedelta(weeks=week)
        y = TOP + week * (CELL + GAP)
        parts.append(
            f'<text x="0" y="{y + CELL * 0.65}" font-size="11">{monday.strftime("%-d %b")}</text>'
        )
        for column in range(7):
            day = monday + timedelta(days=column)
            if day < start or day > last:
                continue
            parts.append(
                _cell(
                    day,
                    counts.get(day),
                    LEFT + column * (CELL + GAP),
                    y,
                    today,
                    day in session_days,
                )
            )
    parts.append(_legend(height - 14))
    parts.append("</svg>")
    return "".join(parts)


def _cell(day: date, count: DayCount | None, x: int, y: int, today: date, session: bool) -> str:
    share = None if count is None else share_done(count)
    if count is None:
        fill, meaning = NO_TASKS, "no aftercare tasks"
    elif share is None:
        fill, meaning = UPCOMING, f"{count.planned} tasks to come"
    else:
        fill, meaning = level(share)
        meaning = f"{count.done} of {max(count.due, count.done)} tasks done ({meaning})"
    notes = [meaning] + (["session day"] if session else []) + (["today"] if day == today else [])
    title = f"{day.strftime('%a %-d %b')}: {', '.join(notes)}"
    stroke = ' stroke="#1f2328" stroke-width="3"' if day == today else f' stroke="{OUTLINE}"'
    mark = ""
    if session:
        mark = f'<circle cx="{x + CELL - 6}" cy="{y + 6}" r="3.5" fill="#1f2328"/>'
    return (
        f'<g class="day" data-date="{day.isoformat()}"><title>{escape(title)}</title>'
        f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="4" fill="{fill}"{stroke}/>'
        f"{mark}</g>"
    )


def _legend(y: int) -> str:
    parts, x = [], 0
    for fill, meaning in LEGEND:
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{fill}" stroke="{OUTLINE}"/>'
            f'<text x="{x + 14}" y="{y}" font-size="10">{meaning}</text>'
        )
        x += 14 + 6 * len(meaning) + 10
    return f'<g class="legend" aria-hidden="true">{"".join(parts)}</g>'
