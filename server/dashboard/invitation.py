"""The enrollment link as a text message and an email the clinician sends from their own phone
or mail program: sms: and mailto: links with the words filled in, no provider needed."""

from __future__ import annotations

from ..domain.contact import mailto, pieces, sms
from .formatting import local


def invitation(name: str, contact: str | None, enrollment: dict, clinic: str, zone: str) -> dict:
    """sms and mailto links to the client's first phone number and email (or to no one yet)."""
    until = local(enrollment["expires_at"], zone, "%-d %b %Y, %H:%M")
    url = enrollment["url"]
    found = pieces(contact)
    phone = next((piece for piece in found if piece.kind == "phone"), None)
    email = next((piece.text for piece in found if piece.kind == "email"), "")
    number = phone.href.removeprefix("tel:") if phone else ""
    return {
        "phone": phone.text if phone else "",  # as the clinic wrote it
        "email": email,
        "sms": sms(number, text(clinic, url, until)),
        "mailto": mailto(
            email, f"Your aftercare plan from {clinic}", letter(name, clinic, url, until)
        ),
    }


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
