"""The dashboard sets a client's language: on the new-client form and the profile form, from
the languages the client's protocol offers; a plan missing a translation says so on the page."""

import shutil
from pathlib import Path

from sqlalchemy import select

from server.extensions import db
from server.models import Client
from server.plans.registry import Registry

SHIPPED = Path(__file__).parents[2] / "protocols"
NEW_LAYLA = {
    "name": "Layla",
    "contact": "",
    "timezone": "Asia/Dubai",
    "protocol_id": "scalp-nation",
    "language-scalp-nation": "ar",
}


def layla(app) -> tuple[int, str | None, str | None]:
    """Layla as stored: her id, her language and her plan's."""
    with app.app_context():
        client = db.session.scalar(select(Client).where(Client.name == "Layla"))
        return client.id, client.language, client.plan.content.get("language")


def the_select(page: str, name: str) -> str:
    return page[page.index(f'name="{name}"') :].split("</select>", 1)[0]


def test_the_new_client_form_offers_each_protocols_languages(clinician_a):
    form = clinician_a.get("/clinic/clients/new").text
    offered = the_select(form, "language-scalp-nation")
    # Each language as its own readers write it.
    assert '<option value="" lang="en">English</option>' in offered  # chosen by having none
    assert '<option value="ar" lang="ar">العربية</option>' in offered
    assert '<option value="es" lang="es">Español</option>' in offered


def test_a_client_added_in_arabic_has_an_arabic_plan_and_it_shows(app, clinician_a):
    assert clinician_a.post("/clinic/clients/new", NEW_LAYLA).status_code == 201
    client_id, language, planned = layla(app)
    assert (language, planned) == ("ar", "ar")

    page = clinician_a.get(f"/clinic/clients/{client_id}").text
    assert '<option value="ar" selected lang="ar">العربية</option>' in the_select(page, "language")


def test_the_profile_form_changes_the_language_and_says_so(app, clinician_a):
    clinician_a.post("/clinic/clients/new", NEW_LAYLA)
    client_id = layla(app)[0]
    form = {
        "name": "Layla",
        "contact": "",
        "timezone": "Asia/Dubai",
        "wake": "07:00",
        "bed": "23:00",
        "answer-hair_length": "",
        "answer-hair_length-shown": "",
        "language": "es",
    }
    said = clinician_a.post(f"/clinic/clients/{client_id}/profile", form)
    assert said.status_code == 302
    assert layla(app)[1:] == ("es", "es")
    page = clinician_a.get(said.location).text
    assert "Language changed from Arabic to Spanish; the plan&#39;s texts follow it." in page


def test_a_missing_translation_is_a_warning_on_the_clients_page(app, clinician_a, tmp_path):
    shutil.copytree(SHIPPED, tmp_path, dirs_exist_ok=True)
    overlay = tmp_path / "scalp-nation.ar.toml"
    overlay.write_text(overlay.read_text().replace('title = "لا حلاقة"\n', ""))
    app.extensions["protocols"] = Registry(tmp_path)

    clinician_a.post("/clinic/clients/new", NEW_LAYLA)

    page = clinician_a.get(f"/clinic/clients/{layla(app)[0]}").text
    warning = page[page.index('data-code="translation_missing"') :].split("</p>", 1)[0]
    assert "not translated into Arabic yet, so the client sees them in English" in warning
    assert "restrictions.no-shaving.title" in warning
