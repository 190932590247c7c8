"""What a use case can refuse, in the domain's words; errors.py turns each into HTTP once.

Use cases raise these and never an HTTP error, so the API, the dashboard and the CLI each
decide how a refusal looks to their audience.
"""

from __future__ import annotations

from datetime import date, datetime

from .wording import N_, Nn_


class Said(str):
    """An English sentence that keeps its message id and values, so a page can say it in its
    reader's language (dashboard/refusals.py); everywhere else it is the English text."""

    template: str
    values: dict
    plural: str | None  # the message id for a count other than one (values["count"])

    def __new__(cls, template: str, values: dict | None = None, plural: str | None = None) -> Said:
        english = plural if plural and (values or {}).get("count") != 1 else template
        written = {name: _english(value) for name, value in (values or {}).items()}
        said = super().__new__(cls, english % written if values else english)
        said.template, said.values, said.plural = template, dict(values or {}), plural
        return said


def _english(value: object) -> object:
    """A moment or a day as the English text writes it (a page writes it in its own)."""
    if isinstance(value, datetime):
        return f"{value:%a %-d %b %Y, %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return value


class DomainError(Exception):
    """A request the rules refuse; `message` is written for the person who asked: an English
    message id (marked with N_ for the catalogs) with %(name)s fields filled from `values`."""

    def __init__(self, message: str, *, plural: str | None = None, **values: object) -> None:
        said = Said(message, values, plural)
        super().__init__(said)
        self.message = said


class NotFound(DomainError):
    """No such thing, or not one the asker may see: the two are told apart to no one."""


class Conflict(DomainError):
    """Refused because of what is already stored; `code` is stable for programs."""

    def __init__(self, code: str, message: str, field: str | None = None, **values: object) -> None:
        super().__init__(message, **values)
        self.code = code
        self.field = field


class InvalidField(DomainError):
    """One field's value cannot be used."""

    def __init__(self, field: str, message: str, **values: object) -> None:
        super().__init__(message, **values)
        self.field = field


class UnusableImage(DomainError):
    """An upload that is not a whole image of a kind we take, or is too big to take."""


class ProtocolUnavailable(DomainError):
    """The protocol a plan needs is not loaded on this server right now."""


class NotSignedIn(DomainError):
    """Only for someone signed in."""


class Forbidden(DomainError):
    """Signed in, but this is not theirs to do."""


class AccountDeactivated(Forbidden):
    """The password was right, but the clinic has turned this account off."""

    def __init__(self) -> None:
        super().__init__(
            N_("This account is deactivated. Ask your clinic's admin to turn it back on.")
        )


class PasswordChangeRequired(Forbidden):
    """Signed in with a temporary password: nothing else until they choose their own."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "You signed in with a temporary password: choose your own on the dashboard "
                "(/clinic/password) first."
            )
        )


class TooManyAttempts(DomainError):
    """Too many tries in a while; `retry_after` seconds until the next is counted again."""

    def __init__(self, retry_after: int) -> None:
        minutes = -(-retry_after // 60)
        one, many = Nn_(
            "Too many attempts. Try again in %(count)d minute.",
            "Too many attempts. Try again in %(count)d minutes.",
        )
        super().__init__(one, plural=many, count=minutes)
        self.retry_after = retry_after
