"""Search that finds a client however their name or number was typed.

Clinics type "nguyen" for Nguyễn, "MULLER" or "mueller" for Müller and "07700 900107" for a
contact stored as "+44 7700 900107". Each client keeps a folded copy of their name and contact
and the digits of each phone number in it (models/client.py); a search is folded the same way
and matched as a plain substring of those, so the database compares text and no more.
"""

from __future__ import annotations

import re
import unicodedata

from .contact import dialable, pieces

# Letters that are not a base letter plus an accent in Unicode, so NFKD leaves them whole.
LETTERS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ħ": "h",
        "\u0131": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)
# German spells ü as ue when the key is missing: Müller is also written Mueller.
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
# Joins the parts of a stored search text: no folded search holds a line break, so a search
# never matches across two parts.
SEPARATOR = "\n"
PHONE_SHAPED = re.compile(r"[\d\s+().-]*\d[\d\s+().-]*")


def folded(text: str | None) -> str:
    """Lower case without accents, spaces collapsed: "  Nguyễn  Văn " -> "nguyen van"."""
    # Case folded again after NFKD: a compatibility character can unfold into capitals (㎐).
    unaccented = _unaccented(unicodedata.normalize("NFC", text or "").casefold())
    return " ".join(unaccented.casefold().split())


def name_text(name: str | None, contact: str | None) -> str:
    """What a client's name and contact are searched in: folded, with "mueller" for Müller."""
    composed = unicodedata.normalize("NFC", name or "").casefold()
    parts = [folded(name)]
    if composed.translate(UMLAUTS) != composed:
        parts.append(folded(composed.translate(UMLAUTS)))
    if contact:
        parts.append(folded(contact))
    return SEPARATOR.join(parts)


def phone_digits(contact: str | None) -> str:
    """The digits of each phone number in a contact, as dialled, space between numbers."""
    numbers = (dialable(p.text) for p in pieces(contact) if p.kind == "phone")
    return " ".join(number.lstrip("+") for number in numbers)


def searched_digits(query: str) -> str | None:
    """The digits a phone-shaped search looks for, without its trunk prefix ("07700 900107"
    -> "7700900107", "0044 7700" -> "447700"), or None when the search is not a number."""
    if not PHONE_SHAPED.fullmatch(query):
        return None
    digits = "".join(c for c in query if c.isdigit())
    # A national number's leading 0 (or an international call's 00) is not stored after a +.
    digits = digits.removeprefix("00") if digits.startswith("00") else digits.removeprefix("0")
    return digits or None


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
