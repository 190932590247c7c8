"""The dashboard's message catalogs: extract, update and compile (thin wrappers over pybabel),
and the pseudo-locale made from the extracted template.

Catalogs live in server/translations/<lang>/LC_MESSAGES/messages.po beside the template
messages.pot; the compiled .mo files are not committed: `compile_stale` makes any missing or
older than its .po at start-up (milliseconds), so a fresh checkout runs as it is.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from babel.messages import frontend
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .languages import LANGUAGES, PSEUDO, SOURCE, Language

REPO = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
# Beside gettext, ngettext and _ that pybabel knows; N_ marks a message the domain gives
# in English for a view to translate (domain/concerns.py), Nn_ one with its plural.
KEYWORDS = ["lazy_gettext", "_l", "N_", "Nn_:1,2"]


def _pybabel(*args: str) -> None:
    frontend.CommandLineInterface().run(["pybabel", "-q", *args])


def extract(output: Path | None = None, root: Path = REPO) -> None:
    """Write every marked text of `root`'s server and templates into the template catalog."""
    output = output or TEMPLATE
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    _pybabel(
        "extract", "-F", str(REPO / "babel.cfg"), *keywords, "--no-location", "--sort-output",
        "--omit-header", "-o", str(output), str(root),
    )  # fmt: skip


# Said at the top of a new catalog; whoever reviews it says so there (README lists who did).
NEW_CATALOG_HEADER = """\
# The Aftercue server's texts in {name}: the dashboard, reminders and the printed handout.
# Produced by: machine-drafted by the team's assistant (an AI), December 2026.
# Reviewed by a native speaker: not yet."""


def update(template_path: Path | None = None) -> list[Path]:
    """Bring every language's catalog in line with the template (a new language gets a new
    catalog): new texts empty, gone ones dropped, translations kept. Return the catalogs."""
    with (template_path or TEMPLATE).open("rb") as source:
        template = read_po(source)
    written = []
    for language in LANGUAGES.values():
        if language.code == SOURCE:
            continue
        po = catalog_path(language)
        if po.exists():
            with po.open("rb") as source:
                catalog = read_po(source, locale=language.babel)
        else:
            header = NEW_CATALOG_HEADER.format(name=language.native_name)
            catalog = Catalog(
                locale=language.babel,
                header_comment=header,
                project="Aftercue",
                last_translator="the team's assistant (machine draft, not reviewed)",
                fuzzy=False,
            )
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        po.parent.mkdir(parents=True, exist_ok=True)
        with po.open("wb") as out:
            write_po(out, catalog, no_location=True, width=100)
        written.append(po)
    return written


def catalog_path(language: Language) -> Path:
    return TRANSLATIONS / language.babel / "LC_MESSAGES" / "messages.po"


def compile_stale(directory: Path | None = None) -> list[Path]:
    """Compile each .po whose .mo is missing or older; return the .mo files written."""
    directory = directory or TRANSLATIONS
    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        _write_atomically(mo, catalog)
        written.append(mo)
    return written


def write_pseudo(directory: Path, template_path: Path | None = None) -> Path:
    """Compile the pseudo-locale from the template into `directory`; return the .mo."""
    with (template_path or TEMPLATE).open("rb") as source:
        template = read_po(source)
    catalog = Catalog(locale=PSEUDO.babel, header_comment="# Generated: never edit.")
    for message in template:
        if not message.id:
            continue
        if message.pluralizable:
            string = tuple(pseudo(text) for text in message.id)
        else:
            string = pseudo(message.id)
        catalog.add(message.id, string, context=message.context)
    mo = directory / PSEUDO.babel / "LC_MESSAGES" / "messages.mo"
    _write_atomically(mo, catalog)
    return mo


_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# Left as they are: %(name)s and the app's {name} placeholders, HTML tags and entities.
_UNTOUCHABLE = re.compile(r"%\(\w+\)[sd]|%[sd%]|\{\w+\}|<[^>]*>|&\w+;")
OPEN, CLOSE = "⟦", "⟧"


def pseudo(text: str, word: int | None = None) -> str:
    """'Save' -> '⟦Šàṽé·····⟧': accented, about 40% longer, between markers. With `word`,
    the padding comes in words of at most that many dots, as a longer language's words wrap:
    one run of sixty dots would not fit a phone whatever the layout."""
    pieces, last = [], 0
    for match in _UNTOUCHABLE.finditer(text):
        pieces += [text[last : match.start()].translate(_ACCENTED), match.group()]
        last = match.end()
    pieces.append(text[last:].translate(_ACCENTED))
    padding = "·" * max(1, round(0.4 * len(_UNTOUCHABLE.sub("", text))))
    if word and len(padding) > word:
        padding = " ".join(padding[i : i + word] for i in range(0, len(padding), word))
    return OPEN + "".join(pieces) + padding + CLOSE


# The app's padding wraps like words: its screens are 320 px wide.
APP_PSEUDO_WORD = 8


def app_pseudo_catalog(english: dict) -> dict:
    """The client app's en-XA catalog from its English one (pwa/i18n/en.json): every text,
    and each plural form, made pseudo; metadata (keys starting with _) left out."""

    def made(value):
        if isinstance(value, dict):
            return {form: pseudo(text, APP_PSEUDO_WORD) for form, text in value.items()}
        return pseudo(value, APP_PSEUDO_WORD)

    catalog = {key: made(value) for key, value in english.items() if not key.startswith("_")}
    return {"_meta": {"language": PSEUDO.code, "produced_by": "generated from en.json"}, **catalog}


def _write_atomically(mo: Path, catalog: Catalog) -> None:
    # Several workers may start at once: each writes its own file and renames it into place.
    mo.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
    with os.fdopen(handle, "wb") as out:
        write_mo(out, catalog)
    os.replace(temporary, mo)
