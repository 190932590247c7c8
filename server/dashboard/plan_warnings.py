"""A plan warning in the page's language: the plan engine's message id and values, as the
stored plan keeps them (schemas/phone.py, `said`), translated, each value written for this
page; the protocol's own words in it are marked as the protocol's."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time

from flask_babel import get_locale, get_translations
from markupsafe import Markup, escape

from ..domain.spacing import PlanWarning
from ..languages import name_in
from .formatting import on

# The values that are the protocol's words (a task's title, a spacing rule's note).
PROTOCOL_TEXTS = {"title", "note"}
# The values that are language codes (plans/translations.py), named in the page's language.
LANGUAGES = {"language", "first"}


def warning_text(warning: Mapping | PlanWarning) -> Markup:
    """A stored warning (or one just built), in the page's language."""
    if isinstance(warning, PlanWarning):
        said = warning.template and {
            "id": warning.template,
            "plural": warning.plural,
            "values": dict(warning.values),
        }
        message = warning.message
    else:
        said, message = warning.get("said"), warning["message"]
    if not said:  # a plan stored before its warnings kept their ids: English, marked so
        return Markup('<span lang="en">{}</span>').format(message)
    values = dict(said["values"])
    note = values.pop("note", None)
    translations = get_translations()
    if said.get("plural"):
        template = translations.ngettext(said["id"], said["plural"], values["count"])
    else:
        template = translations.gettext(said["id"])
    text = escape(template) % {name: _shown(name, value) for name, value in values.items()}
    if note:
        text += Markup(' <span data-source="protocol">{}</span>').format(note)
    return text


def _shown(name: str, value: object) -> object:
    if name in PROTOCOL_TEXTS:
        return Markup('<span data-source="protocol">{}</span>').format(value)
    if name in LANGUAGES:
        return name_in(str(value), get_locale())
    if name == "day":
        return on(date.fromisoformat(str(value)), "day")
    if name == "time":
        return on(time.fromisoformat(str(value)), "time")
    if name == "texts":  # the ids of a protocol's texts
        return Markup("<code>{}</code>").format(value)
    return value
