"""The words that send a client their enrollment link, by text message or by email."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def until(expires_at: datetime, zone: str) -> str:
    """When a link stops working, on the client's clock: "27 Mar 2026, 12:00"."""
    return expires_at.astimezone(ZoneInfo(zone)).strftime("%-d %b %Y, %H:%M")


def subject(clinic: str) -> str:
    return f"Your aftercare plan from {clinic}"


def text(clinic: str, url: str, until: str) -> str:
    return (
        f"{clinic}: open this link on your phone for your aftercare plan and reminders "
        f"(it works once, until {until}): {url}"
    )


def letter(name: str, clinic: str, url: str, until: str) -> str:
    return (
        f"Hello {name},\n\n"
        "Open this link on your phone to get your aftercare plan, day by day, with reminders:\n"
        f"{url}\n\n"
        f"It works once, until {until}. If it has stopped working, ask us for a new one.\n\n"
        f"{clinic}"
    )
