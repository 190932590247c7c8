"""Signed in through the API with a temporary password: the session says so, and every other
clinic endpoint refuses with 403 `password_change_required` until it is changed."""

from __future__ import annotations

from sqlalchemy import select

from server.extensions import db
from server.models import Clinician
from tests.support.clinics import CLIENTS_URL, NEW, PASSWORD, SESSION_URL
from tests.support.dashboard import Dashboard
from tests.support.stored import snapshot


def make_temporary(app, email: str) -> None:
    with app.app_context():
        db.session.scalar(
            select(Clinician).where(Clinician.email == email)
        ).must_change_password = True
        db.session.commit()


def test_the_clinic_s_endpoints_wait_for_a_password_of_one_s_own(app, world, browser):
    make_temporary(app, world.a.clinician)
    person = browser()
    signed_in = person.sign_in(world.a.clinician)
    assert signed_in.status_code == 200
    assert signed_in.get_json()["clinician"]["password_change_required"] is True
    assert person.get(SESSION_URL).get_json()["clinician"]["password_change_required"] is True
    before = snapshot(app)
    for method, path, body in (
        ("GET", CLIENTS_URL, None),
        ("POST", CLIENTS_URL, NEW),
        ("GET", f"{CLIENTS_URL}/{world.a.client_id}", None),
        ("PATCH", f"{CLIENTS_URL}/{world.a.client_id}", {"name": "Changed"}),
        ("POST", f"{CLIENTS_URL}/{world.a.client_id}/enrollment-codes", {}),
    ):
        refused = person.open(method, path, json=body)
        assert refused.status_code == 403, (method, path)
        assert refused.get_json()["error"]["code"] == "password_change_required"
        assert "/clinic/password" in refused.get_json()["error"]["message"]
    assert snapshot(app) == before
    assert person.delete(SESSION_URL).status_code == 200  # signing out still works


def test_once_changed_the_api_opens(app, world, browser):
    make_temporary(app, world.a.clinician)
    desk = Dashboard(app.test_client())
    desk.sign_in(world.a.clinician)
    own = "my own password now"
    desk.post("/clinic/password", {"current": PASSWORD, "new": own, "confirm": own})
    person = browser()
    signed_in = person.sign_in(world.a.clinician, own)
    assert signed_in.get_json()["clinician"]["password_change_required"] is False
    assert person.get(CLIENTS_URL).status_code == 200


def test_the_code_is_documented(client):
    document = client.get("/api/openapi.json").get_json()
    listing = document["paths"]["/api/v1/clinic/clients"]["get"]["responses"]["403"]
    assert "password_change_required" in listing["description"]
