"""The printed handout's sheet in the client's language, whoever prints it: its words from
the catalogs and its dates by Babel, both in that language (flask_babel.force_locale), inside
a page whose menus and notes stay in the clinician's."""

from __future__ import annotations

from datetime import date

from babel.dates import format_interval
from flask import render_template
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from ..languages import LANGUAGES, SOURCE
from .formatting import wall


def render_sheet(sheet: dict) -> Markup:
    """The <article> the client takes home, in `sheet["language"]`."""
    language = LANGUAGES.get(sheet["language"], LANGUAGES[SOURCE])
    with force_locale(language.babel):
        page = render_template(
            "_handout_sheet.html", h=sheet, lang=language, span=span, per_day=per_day
        )
    return Markup(page)  # noqa: S704 (an autoescaped template's output)


def span(first: date, last: date | None) -> str:
    """ "Tue 17 Mar", "from Tue 17 Mar on", or a range as the language writes one."""
    if last is None:
        return _("from %(day)s on", day=wall(first, "day"))
    if first == last:
        return wall(first, "day")
    return format_interval(first, last, "MMMEd", locale=get_locale())


def per_day(times: int) -> str:
    """ "once a day", "twice a day", "3 times a day"."""
    if times == 1:
        return _("once a day")
    if times == 2:
        return _("twice a day")
    return ngettext("%(num)d time a day", "%(num)d times a day", times)
