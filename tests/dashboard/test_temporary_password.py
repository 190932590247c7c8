"""A temporary password (an invite's, or one the CLI printed) opens one page: the form that
replaces it. Every other page leads there until it is changed; a reset link replaces it too."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Clinician
from tests.support.app_routes import routes
from tests.support.stored import snapshot

OPEN_TO_A_TEMPORARY_PASSWORD = {"/clinic/password", "/clinic/logout"}
PUBLIC = {"/clinic/login", "/clinic/forgot", "/clinic/reset"}
OWN = "a password of my own"


@pytest.fixture
def invited(admin_a):
    """A clinician just invited to clinic A: (email, temporary password)."""
    response = admin_a.post(
        "/clinic/admin/clinicians", {"name": "Ola", "email": "ola@a.test", "role": "admin"}
    )
    return "ola@a.test", re.search(r'<code class="secret">([^<]+)</code>', response.text).group(1)


@pytest.fixture
def ola(invited, dashboard):
    """The invited clinician, signed in with the temporary password."""
    person = dashboard()
    assert person.sign_in(*invited).location == "/clinic/"
    return person


def must_change(app, email: str) -> bool:
    with app.app_context():
        return db.session.scalar(
            select(Clinician.must_change_password).where(Clinician.email == email)
        )


def test_every_page_leads_to_the_password_form_until_it_is_changed(app, world, invited, ola):
    assert must_change(app, invited[0])
    before = snapshot(app)
    checked = 0
    for rule, method in routes(app):
        path = rule.rule
        if not path.startswith("/clinic/") or path in OPEN_TO_A_TEMPORARY_PASSWORD | PUBLIC:
            continue
        if path.startswith("/clinic/static"):
            continue
        path = re.sub(r"<int:client_id>", str(world.a.client_id), path)
        path = re.sub(r"<int:\w+>", "1", path)
        path = re.sub(r"<uuid:\w+>", "00000000-0000-4000-8000-000000000000", path)
        response = ola.post(path, {"name": "x"}) if method == "POST" else ola.get(path)
        assert response.status_code == 302, (method, path)
        assert response.location == "/clinic/password", (method, path)
        checked += 1
    assert checked >= 25
    assert snapshot(app) == before  # nothing posted was done

    page = ola.get("/clinic/password").text
    assert "Choose your own password" in page and "Temporary password" in page
    assert ">Clients</a>" not in page and "Sign out" in page  # only what opens is offered


def test_choosing_a_password_opens_the_dashboard(app, invited, ola):
    email, temporary = invited
    wrong = ola.post("/clinic/password", {"current": "not it", "new": OWN, "confirm": OWN})
    assert wrong.status_code == 422 and must_change(app, email)
    again = ola.post("/clinic/password", {"current": temporary, "new": temporary, "confirm": ""})
    assert again.status_code == 422 and must_change(app, email)
    done = ola.post("/clinic/password", {"current": temporary, "new": OWN, "confirm": OWN})
    assert done.status_code == 302 and done.location == "/clinic/"
    assert not must_change(app, email)
    assert ola.get("/clinic/").status_code == 200
    assert ola.get("/clinic/admin/clinicians").status_code == 200
    assert "Change your password" in ola.get("/clinic/password").text
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "clinician.password_change" in actions


def test_signing_out_works_with_a_temporary_password(invited, ola):
    assert ola.post("/clinic/logout").location == "/clinic/login"
    assert ola.get("/clinic/password").status_code == 302


def test_a_reset_link_replaces_a_temporary_password(app, invited, admin_a, dashboard):
    email, _ = invited
    with app.app_context():
        target = db.session.scalar(select(Clinician.id).where(Clinician.email == email))
    response = admin_a.post(f"/clinic/admin/clinicians/{target}/password-reset")
    token = re.search(r"reset\?token=([\w-]+)</code>", response.text).group(1)
    person = dashboard()
    person.post("/clinic/reset", {"token": token, "new": OWN, "confirm": OWN})
    assert not must_change(app, email)
    assert person.get("/clinic/").status_code == 200
