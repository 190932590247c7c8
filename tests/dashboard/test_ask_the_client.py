"""“Ask the client”: the clinic may leave a protocol's question for the client to answer in the
app; the client page then says so, and what the plan assumes meanwhile."""

import html
import re

from sqlalchemy import select

from server.extensions import db
from server.models import Client
from server.phone.answers import answer

NEW_NOOR = {
    "name": "Noor",
    "contact": "",
    "timezone": "Europe/London",
    "protocol_id": "seven-derma",
    "answer-seven-derma-hair_length": "",  # Ask the client
    "answer-seven-derma-gender": "woman",
}


def noor(app) -> dict:
    """Noor as stored: id, name, answers given, and the answers the plan is drawn from."""
    with app.app_context():
        client = db.session.scalar(select(Client).where(Client.name.startswith("Noor")))
        planned = client.plan.content["answers"]
        return {"id": client.id, "name": client.name, "answers": client.answers, "plan": planned}


def facts(page: str) -> str:
    """The client page's profile facts, as text."""
    section = page[page.index('id="profile-h"') :].split("</dl>", 1)[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)))


def test_the_new_client_form_asks_the_client_unless_the_clinic_answers(clinician_a):
    form = clinician_a.get("/clinic/clients/new").text
    select_ = form[form.index('name="answer-seven-derma-gender"') :].split("</select>", 1)[0]
    assert '<option value="">Ask the client</option>' in select_
    assert " selected" not in select_  # nobody's answer is guessed


def test_a_question_left_for_the_client_is_said_on_their_page(app, clinician_a):
    response = clinician_a.post("/clinic/clients/new", NEW_NOOR)
    assert response.status_code == 201
    added = noor(app)
    assert added["answers"] == {"gender": "woman"}
    assert added["plan"] == {"hair_length": "shaved", "gender": "woman"}

    page = clinician_a.get(f"/clinic/clients/{added['id']}").text
    said = facts(page)
    assert "How do you wear your hair? Not answered yet (planned as Shaved or balding)" in said
    assert "Gender (sets the rest time between sessions) Woman" in said
    form = page[page.index('id="profile-form"') :].split("</form>", 1)[0]
    assert '<option value="" selected>' not in form  # an empty value is chosen by having none
    assert '<option value="woman" selected data-source="protocol">Woman</option>' in form


def test_ask_the_client_takes_an_answer_back_and_an_untouched_one_is_kept(app, clinician_a, now):
    clinician_a.post("/clinic/clients/new", {**NEW_NOOR, "answer-seven-derma-hair_length": "long"})
    client_id = noor(app)["id"]
    url = f"/clinic/clients/{client_id}/profile"
    shown = {
        "name": "Noor",
        "contact": "",
        "timezone": "Europe/London",
        "wake": "07:00",
        "bed": "23:00",
        "answer-hair_length": "long",
        "answer-hair_length-shown": "long",
        "answer-gender": "woman",
        "answer-gender-shown": "woman",
    }
    said = clinician_a.post(url, {**shown, "answer-gender": ""})
    assert said.status_code == 302
    assert noor(app)["answers"] == {"hair_length": "long"}
    page = clinician_a.get(said.location).text
    assert (
        "“Gender (sets the rest time between sessions)” is left for the client to answer in "
        "the app (it was Woman)." in html.unescape(page)
    )

    # The client answers in the app while the form is open; saving another field keeps it.
    with app.app_context():
        answer(client_id, {"gender": "man"}, now)
        db.session.commit()
    drawn_before = {**shown, "answer-gender": "", "answer-gender-shown": ""}
    assert clinician_a.post(url, {**drawn_before, "name": "Noor A"}).status_code == 302
    assert noor(app)["answers"] == {"hair_length": "long", "gender": "man"}
    assert noor(app)["name"] == "Noor A"
