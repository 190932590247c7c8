"""Refusals on the dashboard in the clinician's language: a domain error's message id is looked
up in the catalogs with its values; the API keeps its English message and stable code."""

import re

import pytest

from server.domain.errors import InvalidField, Said
from server.extensions import db
from server.models import Clinician
from tests.support.clinics import CLIENTS_URL, NEW

LONG_NOTE = "x" * 2001


def reading(app, language: str) -> None:
    with app.app_context():
        for person in db.session.scalars(db.select(Clinician)):
            person.language = language
        db.session.commit()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "La nota debe tener menos de 2000 caracteres."),
        ("ar", "اجعل الملاحظة أقل من 2000 حرف."),
        ("en", "Keep the note under 2000 characters."),
    ],
)
def test_a_refused_note_is_said_in_the_clinicians_language(
    app, world, clinician_a, language, expected
):
    reading(app, language)
    url = f"/clinic/clients/{world.a.client_id}/calls"
    refused = clinician_a.post(url, {"outcome": "note", "note": LONG_NOTE})
    page = clinician_a.get(refused.location).text
    assert expected in page


def test_a_form_field_refused_by_the_domain_is_said_in_spanish(app, world, clinician_a):
    reading(app, "es")
    form = {
        "name": "Ana",
        "contact": "",
        "timezone": "Europe/Madrid",
        "protocol_id": "scalp-nation",
        "answer-scalp-nation-hair_length": "shaved",
        "language-scalp-nation": "fr",
    }
    refused = clinician_a.post("/clinic/clients/new", form)
    assert refused.status_code == 422
    assert "No es uno de los idiomas de este protocolo (en, ar, es)." in refused.text
    assert "Not one of this protocol" not in refused.text


def test_the_api_keeps_its_english_message_and_code(app, world, clinician):
    refused = clinician.post(
        CLIENTS_URL, json={**NEW, "language": "fr"}, headers={"Accept-Language": "es"}
    )
    error = refused.get_json()["error"]
    assert error["code"] == "invalid_fields"
    assert error["fields"] == {"language": ["Not one of this protocol's languages (en, ar, es)."]}


def test_a_message_keeps_its_id_and_values_and_reads_as_english():
    error = InvalidField("note", "Keep the note under %(most)d characters.", most=5)
    assert isinstance(error.message, Said)
    assert error.message == "Keep the note under 5 characters."
    assert (error.message.template, error.message.values) == (
        "Keep the note under %(most)d characters.",
        {"most": 5},
    )
    assert re.fullmatch(r"Keep the note under 5 characters\.", str(error))
