"""The client's check-ins as a small bar chart, drawn as SVG on the server.

Pure: days in, markup out. One bar per day checked in, as high as the day's highest answer on
the 0-10 scale (pain); a day with a red flag carries a triangle with "!" above its bar, so it
reads without colour (the bars are one dark blue, the triangle black on white). The table
beside it on the page says the same in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from flask_babel import gettext as _

from ..clinic.checkin_history import CheckinDay

BAR, GAP, LEFT, TOP, HEIGHT = 22, 10, 30, 28, 110
INK, EDGE, MARK = "#0a3069", "#59636e", "#1f2328"


def render(days: Sequence[CheckinDay], label: str) -> str:
    """The chart, or "" without check-ins; `label` names the scale question (pain)."""
    if not days:
        return ""
    width = LEFT + len(days) * (BAR + GAP) + GAP
    height = TOP + HEIGHT + 36
    title = _("Check-ins by day: %(label)s, 0 to 10", label=label)
    flagged = sum(1 for d in days if d.red_flags)
    desc = _(
        "%(days)d days with a check-in, %(flagged)d with a red flag (marked with a triangle).",
        days=len(days),
        flagged=flagged,
    )
    parts = [
        f'<svg class="checkin-chart" role="img" aria-labelledby="checkin-chart-t '
        f'checkin-chart-d" viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f'<title id="checkin-chart-t">{escape(title)}</title>',
        f'<desc id="checkin-chart-d">{escape(desc)}</desc>',
    ]
    for value in (0, 5, 10):
        y = TOP + HEIGHT - value * HEIGHT / 10
        parts.append(
            f'<line x1="{LEFT - 4}" x2="{width}" y1="{y}" y2="{y}" stroke="{EDGE}" '
            'stroke-width="0.5"/>'
            f'<text x="{LEFT - 8}" y="{y + 4}" text-anchor="end" font-size="11">{value}</text>'
        )
    for index, day in enumerate(days):
        x = LEFT + GAP + index * (BAR + GAP)
        value = day.highest or 0
        top = TOP + HEIGHT - value * HEIGHT / 10
        parts.append(
            f'<rect x="{x}" y="{top}" width="{BAR}" height="{TOP + HEIGHT - top}" fill="{INK}"/>'
        )
        parts.append(
            f'<text x="{x + BAR / 2}" y="{TOP + HEIGHT + 16}" text-anchor="middle" '
            f'font-size="11">{day.day_number}</text>'
        )
        if day.red_flags:
            peak = top - 4
            parts.append(
                f'<path d="M{x + BAR / 2} {peak - 18} L{x + BAR} {peak} L{x} {peak} Z" '
                f'fill="#ffffff" stroke="{MARK}" stroke-width="2"/>'
                f'<text x="{x + BAR / 2}" y="{peak - 3}" text-anchor="middle" font-size="12" '
                f'font-weight="700" fill="{MARK}">!</text>'
            )
    parts.append(
        f'<text x="{LEFT}" y="{height - 4}" font-size="11">{escape(_("Day after the session"))}'
        "</text></svg>"
    )
    return "".join(parts)
