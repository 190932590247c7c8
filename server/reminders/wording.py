"""A reminder's own words in the client's language, from the server's catalogs.

The worker has an app context but no request: the client's language is forced for the
moment the words are read (flask_babel.force_locale), never taken from a page's choice.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from ..domain.reminders import Wording
from ..languages import LANGUAGES, SOURCE


def wording(language: str) -> Wording:
    """The reminder words in `language` (a language we have no catalog for: English)."""
    with force_locale(LANGUAGES.get(language, LANGUAGES[SOURCE]).babel):
        return Wording(
            {
                "morning": _("Morning aftercare"),
                "midday": _("Midday aftercare"),
                "evening": _("Evening aftercare"),
                "night": _("Bedtime aftercare"),
            },
            _("Aftercare"),
            # Two of the slot's tasks, in order: the second title starts lower case.
            _("%(earlier)s, then %(later)s"),
            _("You have an aftercare task due."),
        )
