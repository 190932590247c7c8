"""The printed handout speaks the client's language, whoever prints it: the sheet's words from
the catalogs, the protocol's texts from its translation, dates by Babel; the note around it
stays in the clinician's language."""

import re
import tomllib
from pathlib import Path

import pytest

from server.extensions import db
from server.models import Client

PROTOCOLS = Path(__file__).resolve().parents[2] / "protocols"
EXPECTED = {
    "ar": {"dir": "rtl", "words": ["جلساتك", "ما يجب تجنّبه، وحتى متى"], "month": "مارس"},
    "es": {"dir": "ltr", "words": ["Tus sesiones", "Qué evitar y hasta cuándo"], "month": "mar"},
}


def overlay(language: str) -> dict:
    return tomllib.loads((PROTOCOLS / f"scalp-nation.{language}.toml").read_text("utf-8"))


def sheet(page: str) -> str:
    return page[page.index("<article") : page.index("</article>")]


@pytest.mark.parametrize("language", ["ar", "es"])
def test_the_handout_is_in_the_clients_language(app, world, clinician_a, language):
    with app.app_context():
        db.session.get(Client, world.a.client_id).language = language
        db.session.commit()
    page = clinician_a.get(f"/clinic/clients/{world.a.client_id}/handout").text
    article = sheet(page)
    expected = EXPECTED[language]
    assert f'lang="{language}" dir="{expected["dir"]}"' in article
    for words in expected["words"]:
        assert words in article
    texts = overlay(language)
    assert texts["title"] in article and texts["summary"] in article
    assert texts["tasks"]["cleanse"]["title"] in article
    assert texts["restrictions"]["no-shaving"]["title"] in article
    # Dates by Babel in the client's language: no English month or day left.
    assert re.search(rf"\d+ (de )?{expected['month']}", article)
    assert not re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Mar|Apr)\b", article)
    assert "Your sessions" not in article and "twice a day" not in article
    # Around it, the clinician's own language.
    assert '<html lang="en"' in page and "Back to " in page
