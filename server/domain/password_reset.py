"""The words of the email that carries a clinician's one-time link to a new password."""

from __future__ import annotations

from datetime import timedelta


def lifetime(span: timedelta) -> str:
    """How long a link works, as people say it: "1 hour", "48 hours", "30 minutes"."""
    minutes = int(span.total_seconds() // 60)
    amount, unit = (minutes // 60, "hour") if minutes % 60 == 0 else (minutes, "minute")
    return f"{amount} {unit}{'s' * (amount != 1)}"


def subject(clinic: str) -> str:
    return f"A new Aftercue password for {clinic}"


def letter(name: str, clinic: str, url: str, works_for: str, asked_by: str | None) -> str:
    """The email: who asked (an admin's name, or None when someone typed this email)."""
    why = (
        f"{asked_by}, an admin at {clinic}, made you a link to choose a new password"
        if asked_by
        else f"Someone, we hope you, asked to reset your password at {clinic}"
    )
    return (
        f"Hello {name},\n\n"
        f"{why} for the Aftercue dashboard. Open this link to choose it:\n"
        f"{url}\n\n"
        f"It works once, for {works_for}. If you did not expect this email, ignore it: your "
        "password stays as it is.\n\n"
        "Aftercue"
    )
