"""Numbers in sentences: "1 day", "2 days", never "1 days"."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and the noun, singular for exactly one: counted(1, "day") == "1 day"."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def listed(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
