"""The enrollment link as a text message and an email the clinician sends from their own phone
or mail program: sms: and mailto: links with the words filled in, no provider needed."""

from __future__ import annotations

from ..domain.contact import mailto, pieces, sms
from ..domain.invitation import letter, subject, text, until


def invitation(name: str, contact: str | None, enrollment: dict, clinic: str, zone: str) -> dict:
    """sms and mailto links to the client's first phone number and email (or to no one yet)."""
    when, url = until(enrollment["expires_at"], zone), enrollment["url"]
    found = pieces(contact)
    phone = next((piece for piece in found if piece.kind == "phone"), None)
    email = next((piece.text for piece in found if piece.kind == "email"), "")
    number = phone.href.removeprefix("tel:") if phone else ""
    return {
        "phone": phone.text if phone else "",  # as the clinic wrote it
        "email": email,
        "sms": sms(number, text(clinic, url, when)),
        "mailto": mailto(email, subject(clinic), letter(name, clinic, url, when)),
    }
