"""The clinic's admins: invite, change roles, deactivate, and read the audit log."""

import html
import re

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Clinician
from tests.support.clinics import PASSWORD


def clinician_id(app, email):
    with app.app_context():
        return db.session.scalar(select(Clinician.id).where(Clinician.email == email))


def test_an_admin_invites_a_clinician_who_signs_in_with_the_password_shown_once(
    app, admin_a, dashboard
):
    response = admin_a.post(
        "/clinic/admin/clinicians", {"name": "Ola", "email": "Ola@A.test", "role": "clinician"}
    )
    assert response.status_code == 201
    password = re.search(r'<code class="secret">([^<]+)</code>', response.text).group(1)
    ola = dashboard()
    assert ola.sign_in("ola@a.test", password).status_code == 302
    new = "ola's own password"
    ola.post("/clinic/password", {"current": password, "new": new, "confirm": new})
    assert ola.get("/clinic/admin/clinicians").status_code == 403
    again = admin_a.post(
        "/clinic/admin/clinicians", {"name": "Ola", "email": "ola@a.test", "role": "clinician"}
    )
    assert again.status_code == 422 and "already signs in" in again.text


def test_a_bad_invite_is_refused(admin_a):
    response = admin_a.post(
        "/clinic/admin/clinicians", {"name": "", "email": "not an email", "role": "owner"}
    )
    assert response.status_code == 422
    assert "Email: Not a valid email address." in response.text


def test_deactivating_a_clinician_signs_them_out_and_keeps_them_out(app, world, admin_a, dashboard):
    colleague = dashboard()
    colleague.sign_in(world.a.clinician)
    target = clinician_id(app, world.a.clinician)
    assert admin_a.post(f"/clinic/admin/clinicians/{target}/deactivate").status_code == 302
    assert colleague.get("/clinic/").status_code == 302
    refused = dashboard().sign_in(world.a.clinician)
    assert refused.status_code == 403
    assert "This account is deactivated. Ask your clinic" in html.unescape(refused.text)
    admin_a.post(f"/clinic/admin/clinicians/{target}/reactivate")
    assert dashboard().sign_in(world.a.clinician).status_code == 302


def test_a_role_change_takes_effect_and_ends_their_sessions(app, world, admin_a, dashboard):
    colleague = dashboard()
    colleague.sign_in(world.a.clinician)
    target = clinician_id(app, world.a.clinician)
    admin_a.post(f"/clinic/admin/clinicians/{target}/role", {"role": "admin"})
    assert colleague.get("/clinic/").status_code == 302
    promoted = dashboard()
    promoted.sign_in(world.a.clinician)
    assert promoted.get("/clinic/admin/audit").status_code == 200


def test_an_admin_cannot_lock_themselves_out(app, world, admin_a):
    me = clinician_id(app, world.a.admin)
    response = admin_a.post(f"/clinic/admin/clinicians/{me}/deactivate", follow_redirects=True)
    assert "Ask another admin" in response.text
    admin_a.post(f"/clinic/admin/clinicians/{me}/role", {"role": "clinician"})
    assert admin_a.get("/clinic/admin/clinicians").status_code == 200


def test_another_clinic_s_admin_cannot_touch_our_clinicians(app, world, dashboard):
    admin_b = dashboard()
    admin_b.sign_in(world.b.admin)
    target = clinician_id(app, world.a.clinician)
    for action, data in (("deactivate", {}), ("reactivate", {}), ("role", {"role": "admin"})):
        response = admin_b.post(f"/clinic/admin/clinicians/{target}/{action}", data)
        assert response.status_code == 404
    with app.app_context():
        person = db.session.get(Clinician, target)
        assert (person.active, person.role) == (True, "clinician")
    assert "clinician@a.test" not in admin_b.get("/clinic/admin/clinicians").text


def test_the_audit_log_shows_who_viewed_and_changed_what_in_pages(app, world, admin_a, dashboard):
    clinician = dashboard()
    clinician.sign_in(world.a.clinician)
    clinician.get(f"/clinic/clients/{world.a.client_id}")
    clinician.get(f"/clinic/clients/{world.a.client_id}/tasks.csv")
    page = admin_a.get("/clinic/admin/audit").text
    assert "client.view" in page and "client.export" in page
    assert "clinician of Clinic A" in page
    with app.app_context():
        for number in range(60):
            db.session.add(
                AuditEntry(
                    clinic_id=world.a.clinic_id,
                    action=f"test.{number}",
                    detail={},
                    at=world_now(app),
                )
            )
        db.session.commit()
    first, second = admin_a.get("/clinic/admin/audit"), admin_a.get("/clinic/admin/audit?page=2")
    assert "Page 1 of 2" in first.text and "Page 2 of 2" in second.text
    assert "test.59" in first.text or "test.59" in second.text
    # Clinic B's admin sees none of it.
    admin_b = dashboard()
    admin_b.sign_in(world.b.admin)
    assert "test.1" not in admin_b.get("/clinic/admin/audit").text


def world_now(app):
    return app.config["CLOCK"]()


def test_a_wrong_current_password_never_changes_it(world, clinician_a, dashboard):
    clinician_a.post("/clinic/password", {"current": "x", "new": "y" * 20, "confirm": "y" * 20})
    assert dashboard().sign_in(world.a.clinician, PASSWORD).status_code == 302
