"""An email is unique within a clinic only: an admin's invite learns nothing of other clinics,
and someone with accounts at two clinics signs in to the one their password opens."""

import re

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Clinician
from tests.support.clinics import PASSWORD

INVITE = "/clinic/admin/clinicians"


def invite(admin, email):
    response = admin.post(INVITE, {"name": "Robin", "email": email, "role": "clinician"})
    secret = re.search(r'<code class="secret">([^<]+)</code>', response.text)
    return response, secret and secret.group(1)


def clinic_of(browser, email, password):
    signed_in = browser().sign_in(email, password)
    return signed_in.get_json()["clinician"]["clinic"] if signed_in.status_code == 200 else None


def test_the_invite_answers_the_same_whether_an_email_is_used_at_another_clinic(
    app, world, admin_a
):
    fresh, fresh_secret = invite(admin_a, "robin@elsewhere.test")
    taken, taken_secret = invite(admin_a, world.b.clinician)  # clinic B's clinician
    assert fresh.status_code == taken.status_code == 201
    assert fresh_secret and taken_secret
    assert "already" not in taken.text
    with app.app_context():
        clinics = db.session.scalars(
            select(Clinician.clinic_id).where(Clinician.email == world.b.clinician)
        ).all()
    assert sorted(clinics) == sorted([world.a.clinic_id, world.b.clinic_id])
    # Within the clinic, a second account for one email is refused, as before.
    again, _ = invite(admin_a, world.b.clinician.upper())
    assert again.status_code == 422 and "at this clinic already signs in" in again.text


def test_the_password_says_which_clinic_s_account_is_meant(app, world, admin_a, browser):
    _, secret = invite(admin_a, world.b.clinician)
    assert clinic_of(browser, world.b.clinician, PASSWORD) == "Clinic B"
    assert clinic_of(browser, world.b.clinician, secret) == "Clinic A"
    assert clinic_of(browser, world.b.clinician, "neither-password-0123") is None
    with app.app_context():
        failed = db.session.scalars(
            select(AuditEntry.clinician_id).where(AuditEntry.action == "clinician.sign_in_failed")
        ).all()
        ids = db.session.scalars(
            select(Clinician.id).where(Clinician.email == world.b.clinician)
        ).all()
    assert sorted(failed) == sorted(ids), "each account's log shows the failed try"


def test_one_password_never_opens_two_clinics(app, world, admin_a, dashboard):
    _, secret = invite(admin_a, world.b.clinician)
    at_a = dashboard()
    assert at_a.sign_in(world.b.clinician, secret).status_code == 302
    form = {"current": secret, "new": PASSWORD, "confirm": PASSWORD}
    refused = at_a.post("/clinic/password", form)
    assert refused.status_code == 422
    assert "another clinic has this password" in refused.text
    assert dashboard().sign_in(world.b.clinician, secret).status_code == 302, "unchanged"


def test_the_command_line_holds_to_the_same_rule(world, runner):
    def create(password):
        args = ["clinician", "create", "--clinic", str(world.a.clinic_id)]
        args += ["--email", world.b.clinician, "--name", "Kim's clinician"]
        return runner.invoke(args=args, input=f"{password}\n{password}\n")

    refused = create(PASSWORD)  # clinic B's account's password
    assert refused.exit_code != 0 and "another clinic has this password" in refused.output
    assert create("another password 123").exit_code == 0
