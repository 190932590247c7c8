"""The phone numbers and email addresses in a client's free-text contact, as links to reach them.

The contact stays one line the clinic types as it likes ("+44 7700 900107 (mum: 07700 900200),
sam@example.com"): the dashboard links what it recognises and shows the rest as written.
An email is a word with one @ and a dot in its domain; a phone number is a run of 7 to 15
digits (the international maximum), perhaps after a +, with spaces, dots, dashes or brackets
between them. Anything else (a note, a short extension) is text, never a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
PHONE = re.compile(r"\+?\(?\d[\d ().-]*\d")
DIGITS = range(7, 16)
DATE = re.compile(r"\d{4}-\d\d?-\d\d?")  # 2026-04-20 has 8 digits, but is no phone number
# Characters an address may keep in a mailto: URL (RFC 6068); the rest are percent-encoded.
ADDRESS_SAFE = "@.!$'*+-=^_`{|}~"


@dataclass(frozen=True)
class Piece:
    """A run of the contact: plain text, or a phone number or email address with its links."""

    text: str
    kind: str = "text"  # "text", "phone" or "email"
    href: str | None = None
    sms: str | None = None  # phones only


def pieces(contact: str | None) -> list[Piece]:
    """The contact cut into text, phones and emails, in order; joined, they give it back."""
    contact = contact or ""
    found: list[tuple[int, int, Piece]] = []
    for match in EMAIL.finditer(contact):
        address = match.group()
        found.append((match.start(), match.end(), Piece(address, "email", mailto(address))))
    for match in PHONE.finditer(EMAIL.sub(lambda m: " " * len(m.group()), contact)):
        written = match.group()
        number = dialable(written)
        if sum(c.isdigit() for c in number) in DIGITS and not DATE.fullmatch(written):
            phone = Piece(written, "phone", f"tel:{number}", sms(number))
            found.append((match.start(), match.end(), phone))
    cut, at = [], 0
    for start, end, piece in sorted(found, key=lambda item: item[0]):
        if start > at:
            cut.append(Piece(contact[at:start]))
        cut.append(piece)
        at = end
    if at < len(contact):
        cut.append(Piece(contact[at:]))
    return cut


def phones(contact: str | None) -> list[str]:
    """The dialable numbers in the contact ("+447700900107"), in order."""
    return [p.href.removeprefix("tel:") for p in pieces(contact) if p.kind == "phone"]


def emails(contact: str | None) -> list[str]:
    return [p.text for p in pieces(contact) if p.kind == "email"]


def dialable(written: str) -> str:
    """A number as a phone dials it: the leading + kept, then only digits.

    "+44 (0)7700 900107": the (0) is dialled only from inside the country, never after the +.
    """
    if written.startswith("+"):
        written = written.replace("(0)", "")
    digits = "".join(c for c in written if c.isdigit())
    return f"+{digits}" if written.startswith("+") else digits


def sms(number: str = "", body: str | None = None) -> str:
    """An sms: link (RFC 5724); with a body, the message comes filled in.

    `?&body=`: Android's Messages reads the body after a `?`, iOS's after an `&`; this one
    spelling suits both (the empty field between them is skipped).
    """
    if body is None:
        return f"sms:{number}"
    return f"sms:{number}?&body={quote(body, safe='')}"


def mailto(address: str = "", subject: str | None = None, body: str | None = None) -> str:
    """A mailto: link (RFC 6068), with subject and body percent-encoded (spaces as %20)."""
    fields = [(name, value) for name, value in (("subject", subject), ("body", body)) if value]
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in fields)
    return f"mailto:{quote(address, safe=ADDRESS_SAFE)}" + (f"?{query}" if query else "")
