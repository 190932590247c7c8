"""What a use case can refuse, in the domain's words; errors.py turns each into HTTP once.

Use cases raise these and never an HTTP error, so the API, the dashboard and the CLI each
decide how a refusal looks to their audience.
"""

from __future__ import annotations


class Said(str):
    """An English sentence that keeps its message id and values, so a page can say it in its
    reader's language (dashboard/refusals.py); everywhere else it is the English text."""

    template: str
    values: dict

    def __new__(cls, template: str, values: dict | None = None) -> Said:
        said = super().__new__(cls, template % values if values else template)
        said.template, said.values = template, dict(values or {})
        return said


class DomainError(Exception):
    """A request the rules refuse; `message` is written for the person who asked: an English
    message id (marked with N_ for the catalogs) with %(name)s fields filled from `values`."""

    def __init__(self, message: str, **values: object) -> None:
        said = Said(message, values)
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
        super().__init__("This account is deactivated. Ask your clinic's admin to turn it back on.")


class PasswordChangeRequired(Forbidden):
    """Signed in with a temporary password: nothing else until they choose their own."""

    def __init__(self) -> None:
        super().__init__(
            "You signed in with a temporary password: choose your own on the dashboard "
            "(/clinic/password) first."
        )


class TooManyAttempts(DomainError):
    """Too many tries in a while; `retry_after` seconds until the next is counted again."""

    def __init__(self, retry_after: int) -> None:
        minutes = -(-retry_after // 60)
        super().__init__(f"Too many attempts. Try again in {minutes} minute{'s' * (minutes > 1)}.")
        self.retry_after = retry_after
