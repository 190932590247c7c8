"""The languages Aftercue speaks: the one place to add another (then `translate update`)."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47, as in <html lang> and Accept-Language
    native_name: str  # as its readers write it, so anyone can find their own in a list
    direction: str  # "ltr" or "rtl": <html dir>
    # Babel's (CLDR's) locale: its plural rules, date and number formats, catalog folder.
    babel: str


SOURCE = "en"  # the language the code and templates are written in
LANGUAGES = {
    language.code: language
    for language in (
        Language("en", "English", "ltr", "en_GB"),  # day before month, 24-hour clock
        Language("ar", "العربية", "rtl", "ar"),
        Language("es", "Español", "ltr", "es"),
    )
}
# A pseudo-locale for testing and development only (setting PSEUDO_LOCALE): every catalog text
# accented, longer and between ⟦ ⟧, so untranslated text and cut-off text show at a glance.
# CLDR has no en-XA: Babel knows it as en_001 (English's formats and plural rules).
PSEUDO = Language("en-XA", "Ƥšéûðö", "ltr", "en_001")


def offered(pseudo: bool) -> dict[str, Language]:
    """The languages a person may choose, the pseudo-locale too when the setting is on."""
    return LANGUAGES | {PSEUDO.code: PSEUDO} if pseudo else LANGUAGES


def named(code: str | None, pseudo: bool = False) -> Language | None:
    """The language with this code, if offered."""
    return offered(pseudo).get(code) if code else None


def own_name(code: str) -> str:
    """A language as its own readers write it: how anyone finds theirs in a list."""
    language = LANGUAGES.get(code)
    return language.native_name if language else Locale.parse(code).get_display_name(code)


def name_in(code: str, reader: str | Locale) -> str:
    """A language's name in the reader's language, for a sentence: "Arabic", "árabe"."""
    return Locale.parse(code).get_display_name(reader)
