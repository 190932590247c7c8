"""The protocols' texts as the client's app shows them: each `lifted` sentence under its date
or under "Good news today" (rendered by the app's own JavaScript), and each category."""

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from marshmallow import ValidationError

from server.domain.categories import CATEGORIES
from server.schemas.protocol_file import TODAY, date_at_the_end, no_date_at_the_end

ROOT = Path(__file__).parents[1]
CLI = ROOT / "tests" / "js" / "texts_cli.mjs"


def shipped_lifted() -> list[tuple[str, str]]:
    """(where, text) for every `lifted` in the shipped files and in the format's README."""
    found = []
    for path in sorted((ROOT / "protocols").glob("*.toml")):
        if "." in path.stem:
            continue  # a translation: the app's English headings are not what it sits under
        for rule in tomllib.loads(path.read_text())["restrictions"]:
            if "lifted" in rule:
                found.append((f"{path.name}: {rule['id']}", rule["lifted"]))
    readme = (ROOT / "protocols" / "README.md").read_text()
    found += [("protocols/README.md", text) for text in re.findall(r'lifted = "([^"]+)"', readme)]
    return found


def translated_lifted() -> list[tuple[str, str, str]]:
    """(where, language, text) for every `lifted` in the shipped translation files."""
    found = []
    for path in sorted((ROOT / "protocols").glob("*.*.toml")):
        language = path.stem.split(".", 1)[1]
        for rule_id, texts in tomllib.loads(path.read_text())["restrictions"].items():
            if "lifted" in texts:
                found.append((f"{path.name}: {rule_id}", language, texts["lifted"]))
    return found


def render(texts: list[str]) -> dict:
    payload = json.dumps({"lifted": texts})
    result = subprocess.run(
        ["node", CLI], input=payload, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(result.stdout)


def repeated(sentence: str) -> str | None:
    """A word or run of words said twice in a row ("again again", "from today from today")."""
    match = re.search(r"\b((?:\w+\W+){0,3}?\w+)\W+\1\b", sentence, re.IGNORECASE)
    return match.group(0) if match else None


# The headings a lifted text sits under in the app, per language: one says today, one a date.
HEADINGS = {
    "en": ("Good news today", "Sun 22 Mar"),
    "es": ("Buenas noticias hoy", "dom, 22 mar"),
    "ar": ("أخبار سارة اليوم", "الأحد، 22 مارس"),
}


def problems(sentence: str, language: str = "en") -> list[str]:
    """What is wrong with a lifted sentence under "Good news today" and under a date."""
    found = []
    for heading in HEADINGS[language]:
        said = f"{heading}. {sentence}"
        if twice := repeated(said):
            found.append(f"{said!r} repeats {twice!r}")
        if said.lower().count(TODAY[language]) > 1:
            found.append(f"{said!r} says when twice")
    return found


def test_every_lifted_text_reads_right_where_the_app_shows_it():
    texts = shipped_lifted()
    assert len(texts) > 20 and any(where.startswith("protocols/README") for where, _ in texts)
    shown = render([text for _, text in texts])["lifted"]
    found = [
        f"{where}: {problem}"
        for (where, _), sentence in zip(texts, shown, strict=True)
        for problem in problems(sentence)
    ]
    # As written, too: the README's examples are what a clinic copies.
    for where, text in texts:
        try:
            no_date_at_the_end(text)
        except ValidationError as error:
            found.append(f"{where}: {text!r}: {error.messages[0]}")
    assert found == []


def test_every_translated_lifted_text_reads_right_too():
    texts = translated_lifted()
    assert {language for _, language, _ in texts} == {"ar", "es"} and len(texts) > 20
    shown = render([text for _, _, text in texts])["lifted"]
    found = [
        f"{where}: {problem}"
        for (where, language, _), sentence in zip(texts, shown, strict=True)
        for problem in problems(sentence, language)
    ]
    found += [
        f"{where}: {text!r}: {problem}"
        for where, language, text in texts
        if (problem := date_at_the_end(text, language))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "language"),
    [("Ya puedes afeitarte desde hoy", "es"), ("يمكنك الحلاقة ابتداءً من اليوم", "ar")],
)
def test_a_translated_sentence_that_says_today_is_caught(text, language):
    assert problems(render([text])["lifted"][0], language)
    assert date_at_the_end(text, language)


@pytest.mark.parametrize(
    "text",
    [
        "You can shave again again",
        "You can shave again from today from today",
        "Sun is fine fine",
        "You can shave today",
    ],
)
def test_a_sentence_that_repeats_itself_is_caught(text):
    assert problems(render([text])["lifted"][0])


def test_the_app_knows_the_categories_the_server_allows():
    assert render([])["categories"] == CATEGORIES
