"""Numbers in sentences: "1 day", "2 days", never "1 days"; and N_ (Nn_ with a plural), which
mark an English message for the catalogs that a page translates when it shows it."""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks an English message for the catalogs; the dashboard translates it when shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks an English message and its plural (for any count but one) for the catalogs."""
    return singular, plural


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and the noun, singular for exactly one: counted(1, "day") == "1 day"."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def listed(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
