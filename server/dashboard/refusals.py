"""Refusals said in the page's language: a domain error's message (domain/errors.py's Said,
an English message id with values) or a form's complaint, looked up in the catalogs.

A message the catalogs lack stays English, as written: a refusal is never hidden for want of
a translation (README, Languages, says which are still English).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..domain.errors import Said
from .formatting import wall

# marshmallow's own complaints that the dashboard's forms can show, for the catalogs.
MARSHMALLOW = (
    _l("Missing data for required field."),
    _l("Not a valid string."),
    _l("Not a valid integer."),
    _l("Not a valid time."),
    _l("Not a valid datetime."),
    _l("Field may not be null."),
    _l("Unknown field."),
)


def said(message: str) -> str:
    """`message` in the page's language, when the catalogs have it."""
    if isinstance(message, Said):
        values = {name: _written(value) for name, value in message.values.items()}
        if message.plural:
            return ngettext(message.template, message.plural, values["count"], **values)
        translated = _(message.template)
        return translated % values if values else translated
    return _(str(message)) if message else message


def _written(value: object) -> object:
    """A moment or a day in the page's language; anything else as it is."""
    if isinstance(value, datetime):
        return wall(value, "datetime")
    if isinstance(value, date):
        return wall(value, "date")
    return value
