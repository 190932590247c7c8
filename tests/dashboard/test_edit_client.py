"""The client's profile form: each field changed and said plainly, the plan rebuilt with ticks
kept and audited; bad values refused beside their fields, all at once, with nothing stored."""

import html
import re
from datetime import time

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AdherenceEvent, AuditEntry, Client
from tests.support.hostile import CONTROLS
from tests.support.phones import tick
from tests.support.stored import snapshot

# Sam as the factory makes them (tests/support/factories.py), as the form shows them.
SAM = {
    "name": "Sam",
    "contact": "",
    "timezone": "Europe/London",
    "wake": "07:00",
    "bed": "23:00",
    "answer-hair_length": "shaved",
}


def profile(world) -> str:
    return f"/clinic/clients/{world.a.client_id}/profile"


def stored(app, client_id: int) -> Client:
    with app.app_context():
        client = db.session.get(Client, client_id)
        db.session.expunge(client)
        return client


def last_audit(app, client_id: int) -> tuple[str, dict]:
    """The latest change to the client's profile in the audit log."""
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.client_id == client_id, AuditEntry.action == "client.update")
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).one()
        return entry.action, entry.detail


def message(person, response) -> str:
    """The message on the page a successful save redirects to."""
    assert response.status_code == 302, response.status_code
    assert response.location.endswith("#profile")
    page = person.get(response.location).text
    return html.unescape(re.search(r'<li class="info">(.*?)</li>', page).group(1))


def test_the_client_page_has_the_form_filled_in(world, clinician_a):
    page = clinician_a.get(f"/clinic/clients/{world.a.client_id}").text
    form = page[page.index('id="profile-form"') :].split("</form>", 1)[0]
    assert 'name="name" value="Sam"' in form and 'name="timezone" value="Europe/London"' in form
    assert 'name="wake" type="time" value="07:00"' in form
    assert 'name="bed" type="time" value="23:00"' in form
    assert (
        '<option value="shaved" selected data-source="protocol">Shaved or buzzed</option>' in form
    )
    assert "aria-invalid" not in form


def test_a_new_time_zone_is_said_plainly_moves_the_tasks_and_keeps_ticks(app, world, clinician_a):
    with app.app_context():
        before = db.session.get(Client, world.a.client_id).plan.version
    form = {**SAM, "timezone": "America/New_York"}
    said = message(clinician_a, clinician_a.post(profile(world), form))
    assert said == (
        "Time zone changed from Europe/London to America/New_York; task times moved. "
        "Ticks are kept."
    )
    client = stored(app, world.a.client_id)
    assert client.timezone == "America/New_York"
    with app.app_context():
        plan = db.session.get(Client, world.a.client_id).plan
        assert plan.version != before and plan.content["timezone"] == "America/New_York"
    assert last_audit(app, world.a.client_id) == ("client.update", {"fields": ["timezone"]})


@pytest.mark.parametrize(
    ("change", "said", "field"),
    [
        ({"name": "  Samuel "}, "Name changed from Sam to Samuel.", "name"),
        (
            {"contact": "+44 7700 900107"},
            "Contact added: +44 7700 900107.",
            "contact",
        ),
        (
            {"wake": "06:30", "bed": "22:00"},
            "Wake time changed from 07:00 to 06:30 and bed time changed from 23:00 to 22:00; "
            "task times moved. Ticks are kept.",
            "bed",
        ),
        (
            {"answer-hair_length": "long"},
            "“How do you wear your hair?” changed from Shaved or buzzed to Longer; the plan "
            "follows the new answer. Ticks are kept.",
            "answers",
        ),
        ({}, "Nothing changed.", None),
    ],
)
def test_each_field_changes_and_is_said(app, world, clinician_a, change, said, field):
    assert message(clinician_a, clinician_a.post(profile(world), {**SAM, **change})) == said
    client = stored(app, world.a.client_id)
    assert client.name == ("Samuel" if "name" in change else "Sam")
    assert client.contact == change.get("contact")
    assert (client.wake_time, client.bed_time) == (
        (time(6, 30), time(22, 0)) if "bed" in change else (time(7), time(23))
    )
    assert client.answers == {"hair_length": change.get("answer-hair_length", "shaved")}
    fields = [] if field is None else ["bed", "wake"] if field == "bed" else [field]
    assert last_audit(app, world.a.client_id) == ("client.update", {"fields": fields})


def test_clearing_the_contact_says_what_it_was(app, world, clinician_a):
    clinician_a.post(profile(world), {**SAM, "contact": "sam@example.com"})
    said = message(clinician_a, clinician_a.post(profile(world), {**SAM, "contact": "  "}))
    assert said == "Contact removed (it was sam@example.com)."
    assert stored(app, world.a.client_id).contact is None


def test_ticks_logged_before_a_change_are_kept(app, world, clinician_a, client):
    plan = client.get("/api/v1/me/plan", headers=world.a.phone).get_json()
    body = {"events": [tick(plan["occurrences"][0]["id"])]}
    assert client.post("/api/v1/me/sync", json=body, headers=world.a.phone).status_code == 200
    clinician_a.post(profile(world), {**SAM, "timezone": "Australia/Sydney"})
    with app.app_context():
        events = select(AdherenceEvent).where(AdherenceEvent.client_id == world.a.client_id)
        assert len(db.session.scalars(events).all()) == 1
    assert "Nothing logged yet." not in clinician_a.get(f"/clinic/clients/{world.a.client_id}").text


def refused(app, person, url, form) -> str:
    """Post `form`: 422, nothing stored; the page with its errors."""
    before = snapshot(app)
    response = person.post(url, form)
    assert response.status_code == 422, response.status_code
    assert snapshot(app) == before, "nothing is stored"
    return response.text


def beside(page: str, field: str) -> str:
    """The error shown beside a field, which the field points at and is marked invalid."""
    control = re.search(rf'<(?:input|select) id="profile-{field}"[^>]*>', page).group()
    assert 'aria-invalid="true"' in control, control
    assert f'aria-describedby="profile-{field}-error"' in control, control
    error = re.search(rf'<p class="field-error" id="profile-{field}-error">(.*?)</p>', page)
    return html.unescape(error.group(1))


def test_every_bad_value_is_refused_beside_its_field_at_once(app, world, clinician_a):
    form = {
        "name": "",
        "contact": "07700\x00900107",
        "timezone": "Mars/Olympus",
        "wake": "25:00",
        "bed": "7pm",
        "answer-hair_length": "purple",
    }
    page = refused(app, clinician_a, profile(world), form)
    assert beside(page, "name") == "Length must be between 1 and 200."
    assert beside(page, "contact") == "Must not contain control characters."
    assert beside(page, "timezone") == "Not an IANA time zone name, such as Europe/London."
    assert beside(page, "wake") == 'Use a 24-hour "HH:MM" time, such as 07:30.'
    assert beside(page, "bed") == 'Use a 24-hour "HH:MM" time, such as 07:30.'
    assert beside(page, "answer-hair_length") == "Choose one of the options."
    assert "Nothing was saved. 6 fields to correct:" in html.unescape(page)
    assert '<a href="#profile-timezone">Time zone</a>' in page
    # What was typed is kept, to correct rather than type again.
    assert 'value="Mars/Olympus"' in page and 'value="25:00"' in page


def test_a_day_too_short_is_refused_beside_bed_time(app, world, clinician_a):
    page = refused(app, clinician_a, profile(world), {**SAM, "wake": "09:00", "bed": "12:00"})
    assert "hours" in beside(page, "bed")
    assert "aria-invalid" not in page.split('id="profile-wake"', 1)[1].split(">", 1)[0]


@pytest.mark.parametrize("name", ["x" * 201, "A\u202eb"])
def test_a_bad_name_is_refused(app, world, clinician_a, name):
    page = refused(app, clinician_a, profile(world), {**SAM, "name": name})
    assert beside(page, "name")


@pytest.mark.parametrize("control", CONTROLS)
def test_control_characters_in_any_field_are_refused_beside_it(app, world, clinician_a, control):
    for field in ("name", "contact", "timezone", "wake", "bed", "answer-hair_length"):
        page = refused(app, clinician_a, profile(world), {**SAM, field: f"A{control}b"})
        assert beside(page, field), field


def test_another_clinic_s_client_is_not_found_and_unchanged(app, world, clinician_a):
    before = snapshot(app)
    url = f"/clinic/clients/{world.b.client_id}/profile"
    response = clinician_a.post(url, {**SAM, "name": "Taken"})
    assert response.status_code == 404
    assert snapshot(app) == before
    assert clinician_a.post("/clinic/clients/999999/profile", SAM).status_code == 404
