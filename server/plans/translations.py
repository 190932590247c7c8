"""Protocol translations: one overlay file per language beside the protocol (`<id>.<lang>.toml`)
holding the client-facing texts by item id, and nothing else.

A translation changes words, never the care: an overlay naming a time, a count or an id is
refused, so a translator cannot shorten a ban by editing a number. A text the overlay lacks is
shown in the protocol's first language, never blank, and the plan says so to the clinic.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from pathlib import Path

from ..domain.errors import InvalidField
from ..domain.spacing import PlanWarning
from ..domain.wording import N_
from ..languages import name_in
from ..schemas.protocol_file import date_at_the_end

# The texts a client reads, per section of a protocol file; everything else is care, not words.
ITEM_TEXTS = {
    "questions": ("label", "options"),
    "tasks": ("title", "how", "product"),
    "restrictions": ("title", "detail", "lifted"),
    "cards": ("title", "body"),
}
PROTOCOL_TEXTS = ("title", "summary")
# The check-in's own texts, and those of its questions and red flags by id.
CHECKIN_TEXTS = ("title", "meanwhile")
CHECKIN_ITEM_TEXTS = {"questions": ("label", "options"), "red_flags": ("reason",)}
NOT_A_TEXT = "not a text: a translation carries only texts; times, counts and ids stay in {main}"
MAX_TEXT = 2000


# The values of a plan warning that are language codes.
LANGUAGES = ("language", "first")


def language_name(code: str) -> str:
    """A language's English name, for the plan's notes to the clinic."""
    return name_in(code, "en")


def languages_of(data: Mapping) -> list[str]:
    """The languages a protocol claims, its own first (English unless it says)."""
    return list(data.get("languages") or ["en"])


def check_language(language: str | None, languages: list[str]) -> str | None:
    """A client's language as stored: None for the protocol's own; InvalidField for one the
    protocol does not offer."""
    if language is not None and language not in languages:
        offered = ", ".join(languages)
        message = N_("Not one of this protocol's languages (%(offered)s).")
        raise InvalidField("language", message, offered=offered)
    return language


def default_language(clinic_language: str | None, languages: list[str]) -> str | None:
    """A new client's language when the clinician chose none: the clinic's, when their
    protocol comes in it (None, the protocol's own, when that is the clinic's or it has none)."""
    return clinic_language if clinic_language in languages[1:] else None


def is_overlay(path: Path) -> bool:
    """`scalp-nation.ar.toml` is a translation; a protocol id never holds a dot."""
    return "." in path.stem


def overlay_paths(path: Path) -> dict[str, Path]:
    """language -> overlay file, for the protocol file `path`."""
    return {p.stem.split(".", 1)[1]: p for p in sorted(path.parent.glob(f"{path.stem}.*.toml"))}


def read_overlay(path: Path, language: str, data: Mapping) -> tuple[dict, list[tuple[str, str]]]:
    """The overlay's texts, checked against the protocol `data`, and its problems as
    (field, reason): a field that is not a text, an id or option the protocol lacks."""
    main = f"{data['id']}.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return {}, [("(file)", f"cannot read: {error}")]
    except tomllib.TOMLDecodeError as error:
        return {}, [("(file)", f"not valid TOML: {error}")]
    problems: list[tuple[str, str]] = []
    if raw.get("language") != language:
        problems.append(("language", f"must be {language!r}, as in the file name"))
    if language not in languages_of(data)[1:]:
        claimed = ", ".join(languages_of(data))
        problems.append(("(file)", f"{main} does not claim {language!r} in languages ({claimed})"))
    texts: dict = {}
    for key, value in raw.items():
        if key == "language":
            continue
        if key in PROTOCOL_TEXTS:
            if _text_problem(value, key, data.get(key), problems):
                texts[key] = value
        elif key in ITEM_TEXTS:
            texts[key] = _section(key, value, data, main, problems, language)
        elif key == "checkin" and isinstance(value, dict):
            texts[key] = _checkin(value, data.get("checkin"), main, problems, language)
        else:
            problems.append((key, NOT_A_TEXT.format(main=main)))
    return texts, problems


def _checkin(value: Mapping, checkin: Mapping | None, main: str, problems, language: str) -> dict:
    if checkin is None:
        problems.append(("checkin", f"{main} has no check-in to translate"))
        return {}
    texts: dict = {}
    for key, text in value.items():
        if key in CHECKIN_TEXTS:
            if _text_problem(text, f"checkin.{key}", checkin.get(key), problems):
                texts[key] = text
        elif key in CHECKIN_ITEM_TEXTS:
            texts[key] = _section(
                key, text, checkin, main, problems, language, CHECKIN_ITEM_TEXTS, "checkin."
            )
        else:
            problems.append((f"checkin.{key}", NOT_A_TEXT.format(main=main)))
    return texts


def _section(
    section: str,
    value,
    data: Mapping,
    main: str,
    problems,
    language: str,
    names: Mapping = ITEM_TEXTS,
    prefix: str = "",
) -> dict:
    items = {item["id"]: item for item in data.get(section, [])}
    kind = prefix + section.rstrip("s")
    if not isinstance(value, dict):
        problems.append((section, f"give one table per {kind} id"))
        return {}
    texts = {}
    for item_id, fields in value.items():
        where = f"{prefix}{section}.{item_id}"
        if item_id not in items:
            problems.append((where, f"no {kind} {item_id!r} in {main}"))
            continue
        if not isinstance(fields, dict):
            problems.append((where, "give a table of its texts"))
            continue
        kept = {}
        for name, text in fields.items():
            if name not in names[section]:
                problems.append((f"{where}.{name}", NOT_A_TEXT.format(main=main)))
            elif name == "options":
                kept[name] = _options(where, text, items[item_id], main, problems)
            elif _text_problem(text, f"{where}.{name}", items[item_id].get(name), problems):
                # The English rule, in the overlay's language: no "today" under a date.
                if name == "lifted" and (problem := date_at_the_end(text, language)):
                    problems.append((f"{where}.{name}", problem))
                else:
                    kept[name] = text
        texts[item_id] = kept
    return texts


def _options(where: str, value, question: Mapping, main: str, problems) -> dict:
    labels = {option["value"]: option["label"] for option in question["options"]}
    if not isinstance(value, dict):
        problems.append((f"{where}.options", "give each option's label by its value"))
        return {}
    kept = {}
    for option, text in value.items():
        field = f"{where}.options.{option}"
        if option not in labels:
            problems.append((field, f"no option {option!r} in {main}"))
        elif _text_problem(text, field, labels[option], problems):
            kept[option] = text
    return kept


def _text_problem(value, field: str, original, problems) -> bool:
    """True when `value` may stand for `original`; else says why in `problems`."""
    if original is None:
        problems.append((field, "the protocol has no such text to translate"))
    elif not isinstance(value, str):
        problems.append((field, "must be text (translations carry only texts)"))
    elif not value.strip() or len(value) > MAX_TEXT:
        problems.append((field, f"must be 1 to {MAX_TEXT} characters"))
    else:
        return True
    return False


def untranslated(data: Mapping, texts: Mapping) -> list[str]:
    """The client-facing texts of `data` an overlay's `texts` lack, as field paths."""
    missing = [key for key in PROTOCOL_TEXTS if key in data and key not in texts]
    missing += _untranslated_items(data, texts, ITEM_TEXTS, "")
    if "checkin" in data:
        checkin, given = data["checkin"], texts.get("checkin", {})
        missing += [f"checkin.{key}" for key in CHECKIN_TEXTS if key not in given]
        missing += _untranslated_items(checkin, given, CHECKIN_ITEM_TEXTS, "checkin.")
    return missing


def _untranslated_items(data: Mapping, texts: Mapping, sections: Mapping, prefix: str):
    missing = []
    for section, names in sections.items():
        given = texts.get(section, {})
        for item in data.get(section, []):
            have = given.get(item["id"], {})
            for name in names:
                if name == "options":
                    labels = have.get("options", {})
                    missing += [
                        f"{prefix}{section}.{item['id']}.options.{option['value']}"
                        for option in item.get("options", [])
                        if option["value"] not in labels
                    ]
                elif name in item and name not in have:
                    missing.append(f"{prefix}{section}.{item['id']}.{name}")
    return missing


def localized(content: Mapping, language: str | None) -> dict:
    """A stored bundle in `language` (None: the protocol's own): every text the translation
    has replaced, the rest kept in the first language; `language` says what was served and
    `translation_missing` lists the fields that fell back ("*": no translation at all)."""
    languages = languages_of(content)
    bundle = {key: value for key, value in content.items() if key != "translations"}
    bundle["languages"] = languages
    wanted = language or languages[0]
    if wanted == languages[0]:
        return {**bundle, "language": wanted, "translation_missing": []}
    texts = content.get("translations", {}).get(wanted)
    if texts is None:
        return {**bundle, "language": languages[0], "translation_missing": ["*"], "asked": wanted}
    missing = untranslated(content, texts)
    bundle = copy.deepcopy(bundle)
    for key in PROTOCOL_TEXTS:
        if key in texts:
            bundle[key] = texts[key]
    _overlay_items(bundle, texts, ITEM_TEXTS)
    if "checkin" in bundle:
        given = texts.get("checkin", {})
        bundle["checkin"].update({key: given[key] for key in CHECKIN_TEXTS if key in given})
        _overlay_items(bundle["checkin"], given, CHECKIN_ITEM_TEXTS)
    return {**bundle, "language": wanted, "translation_missing": missing}


def _overlay_items(bundle: dict, texts: Mapping, sections: Mapping) -> None:
    for section in sections:
        given = texts.get(section, {})
        for item in bundle.get(section, []):
            for name, text in given.get(item["id"], {}).items():
                if name == "options":
                    for option in item["options"]:
                        option["label"] = text.get(option["value"], option["label"])
                else:
                    item[name] = text


def translation_warning(bundle: Mapping) -> PlanWarning | None:
    """What the clinic is told when the client's texts are not all in the client's language."""
    missing = bundle.get("translation_missing") or []
    if not missing:
        return None
    first, asked = bundle["languages"][0], bundle["asked"] if missing == ["*"] else None
    # Language codes in the values (the dashboard names them in its reader's language),
    # English names in the API's message.
    if asked:
        template = N_(
            "This protocol has no %(language)s translation: the client sees it in %(first)s."
        )
        values = {"language": asked, "first": first}
    else:
        values = {"count": len(missing), "language": bundle["language"], "first": first}
        values["texts"] = ", ".join(missing[:5])
        template = N_(
            "%(count)d of this protocol's texts are not translated into %(language)s yet, "
            "so the client sees them in %(first)s: %(texts)s."
        )
        if len(missing) > 5:
            values["more"] = len(missing) - 5
            template = N_(
                "%(count)d of this protocol's texts are not translated into %(language)s yet, "
                "so the client sees them in %(first)s: %(texts)s and %(more)d more."
            )
    named = {name: language_name(value) for name, value in values.items() if name in LANGUAGES}
    message = template % {**values, **named}
    said = tuple(values.items())
    return PlanWarning("translation_missing", message, None, None, template, None, said)
