"""The words that send a client their enrollment link, by text message or by email, in the
client's language (whoever sends it): from the server's catalogs, dates by Babel."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from ..extensions import db
from ..languages import LANGUAGES, SOURCE
from ..models import Client, ProtocolBundle
from ..plans.translations import languages_of


def reads_in(client: Client) -> str:
    """The language the client reads: their own, else their protocol's first."""
    if client.language:
        return client.language
    bundle = db.session.get(ProtocolBundle, client.plan.bundle_version) if client.plan else None
    return languages_of(bundle.content)[0] if bundle else SOURCE


@contextmanager
def in_language(code: str):
    """Words and dates in this language (one we have no catalog for: English)."""
    with force_locale(LANGUAGES.get(code, LANGUAGES[SOURCE]).babel):
        yield


def until(expires_at: datetime, zone: str) -> str:
    """When a link stops working, on the client's clock: "27 Mar 2026, 12:00"."""
    moment, locale = expires_at.astimezone(ZoneInfo(zone)), get_locale()
    day, time = (format_skeleton(s, moment, locale=locale) for s in ("yMMMd", "Hm"))
    return locale.datetime_formats["medium"].format(time, day)


def subject(clinic: str) -> str:
    return _("Your aftercare plan from %(clinic)s", clinic=clinic)


def text(clinic: str, url: str, until: str) -> str:
    return _(
        "%(clinic)s: open this link on your phone for your aftercare plan and reminders "
        "(it works once, until %(until)s): %(url)s",
        clinic=clinic,
        url=url,
        until=until,
    )


def letter(name: str, clinic: str, url: str, until: str) -> str:
    opening = _(
        "Open this link on your phone to get your aftercare plan, day by day, with reminders:"
    )
    return "\n\n".join(
        (
            _("Hello %(name)s,", name=name),
            f"{opening}\n{url}",
            _(
                "It works once, until %(until)s. If it has stopped working, ask us for a new one.",
                until=until,
            ),
            clinic,
        )
    )
