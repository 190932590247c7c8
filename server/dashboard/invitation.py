"""The enrollment link as a text message and an email the clinician sends from their own phone
or mail program: sms: and mailto: links with the words filled in, no provider needed."""

from __future__ import annotations

from ..clinic.invitation import in_language, letter, subject, text, until
from ..domain.contact import mailto, pieces, sms


def invitation(
    name: str, contact: str | None, enrollment: dict, clinic: str, zone: str, language: str
) -> dict:
    """sms and mailto links to the client's first phone number and email (or to no one yet),
    their words in the client's `language`."""
    with in_language(language):
        when, url = until(enrollment["expires_at"], zone), enrollment["url"]
        said = {"text": text(clinic, url, when), "subject": subject(clinic)}
        said["letter"] = letter(name, clinic, url, when)
    found = pieces(contact)
    phone = next((piece for piece in found if piece.kind == "phone"), None)
    email = next((piece.text for piece in found if piece.kind == "email"), "")
    number = phone.href.removeprefix("tel:") if phone else ""
    return {
        "phone": phone.text if phone else "",  # as the clinic wrote it
        "email": email,
        "sms": sms(number, said["text"]),
        "mailto": mailto(email, said["subject"], said["letter"]),
    }
