"""The new-client form starts on the clinic's language for the client's plan; the clinician
may choose another, or the protocol's own."""

import re

from sqlalchemy import select

from server.extensions import db
from server.models import Client, Clinic

NEW_SAM = {
    "name": "Sam Default",
    "contact": "",
    "timezone": "Europe/London",
    "protocol_id": "scalp-nation",
    "answer-scalp-nation-hair_length": "shaved",
}


def clinic_speaks(app, world, language: str) -> None:
    with app.app_context():
        db.session.get(Clinic, world.a.clinic_id).language = language
        db.session.commit()


def chosen(form: str, protocol: str) -> list[str]:
    select_ = form[form.index(f'name="language-{protocol}"') :].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)" selected', select_)


def test_the_form_starts_on_the_clinics_language(app, world, clinician_a):
    clinic_speaks(app, world, "ar")
    form = clinician_a.get("/clinic/clients/new").text
    assert chosen(form, "scalp-nation") == ["ar"] and chosen(form, "smp-faq") == ["ar"]
    clinic_speaks(app, world, "en")  # the protocols' own: their first choice, unmarked
    assert chosen(clinician_a.get("/clinic/clients/new").text, "scalp-nation") == []


def test_what_the_form_sends_is_kept(app, world, clinician_a):
    clinic_speaks(app, world, "es")
    as_shown = {**NEW_SAM, "language-scalp-nation": "es"}
    assert clinician_a.post("/clinic/clients/new", as_shown).status_code == 201
    protocols_own = {**NEW_SAM, "name": "Sam Own", "language-scalp-nation": ""}
    assert clinician_a.post("/clinic/clients/new", protocols_own).status_code == 201
    with app.app_context():
        stored = dict(db.session.execute(select(Client.name, Client.language)).all())
    assert stored["Sam Default"] == "es" and stored["Sam Own"] is None
