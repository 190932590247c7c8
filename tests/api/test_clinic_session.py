"""Clinicians signing in and out: cookies, CSRF, the session epoch, the audit trail."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Clinician
from tests.support.clinics import PASSWORD, SESSION_URL

CLIENTS_URL = "/api/v1/clinic/clients"


def audit_actions(app):
    with app.app_context():
        return [
            (entry.action, entry.clinician_id, entry.detail)
            for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def clinician_id(app, email):
    with app.app_context():
        return db.session.scalar(select(Clinician.id).where(Clinician.email == email))


def test_anonymous_gets_a_csrf_token_and_no_clinician(world, browser):
    response = browser().client.get(SESSION_URL)
    assert response.status_code == 200
    body = response.get_json()
    assert body["clinician"] is None and len(body["csrf_token"]) > 20


def test_signing_in_sets_an_httponly_samesite_cookie_and_describes_the_clinician(world, browser):
    signed_in = browser()
    response = signed_in.sign_in(world.a.clinician)
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.get_json()["clinician"] == {
        "id": response.get_json()["clinician"]["id"],
        "name": "clinician of Clinic A",
        "email": "clinician@a.test",
        "role": "clinician",
        "clinic_id": world.a.clinic_id,
        "clinic": "Clinic A",
        "password_change_required": False,
    }
    again = signed_in.get(SESSION_URL).get_json()
    assert again["clinician"]["email"] == "clinician@a.test"


def test_email_is_matched_without_case_or_spaces(world, browser):
    assert browser().sign_in("  Clinician@A.TEST ").status_code == 200


def deactivate(app, email):
    with app.app_context():
        db.session.get(Clinician, clinician_id(app, email)).active = False
        db.session.commit()


@pytest.mark.parametrize("case", ["unknown_email", "wrong_password", "inactive_wrong_password"])
def test_every_failed_sign_in_gets_the_same_answer(app, world, browser, case):
    email, password = world.a.clinician, PASSWORD
    if case == "unknown_email":
        email = "nobody@a.test"
    else:
        password = "not it"
    if case == "inactive_wrong_password":
        deactivate(app, email)
    signed_out = browser()
    response = signed_out.sign_in(email, password)
    assert response.status_code == 401
    assert response.get_json() == {
        "error": {"code": "invalid_login", "message": "Wrong email or password."}
    }
    assert signed_out.get(SESSION_URL).get_json()["clinician"] is None
    assert signed_out.get(CLIENTS_URL).status_code == 401


def test_a_deactivated_clinician_with_the_right_password_is_told_so(app, world, browser):
    deactivate(app, world.a.clinician)
    signed_out = browser()
    response = signed_out.sign_in(world.a.clinician, PASSWORD)
    assert response.status_code == 403
    assert response.get_json()["error"] == {
        "code": "forbidden",
        "message": "This account is deactivated. Ask your clinic's admin to turn it back on.",
    }
    assert signed_out.get(SESSION_URL).get_json()["clinician"] is None
    with app.app_context():
        [entry] = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "clinician.sign_in_failed")
        ).all()
    assert entry.detail == {"reason": "inactive"}


def test_failed_sign_ins_are_audited_without_the_password(app, world, browser):
    browser().sign_in(world.a.clinician, "hunter2-guess")
    browser().sign_in("nobody@a.test", "hunter2-guess")
    entries = audit_actions(app)
    assert entries == [
        (
            "clinician.sign_in_failed",
            clinician_id(app, world.a.clinician),
            {"reason": "wrong_password"},
        )
    ]
    assert "hunter2" not in repr(entries)


def test_sign_in_validates_its_body(world, browser):
    signed_out = browser()
    signed_out.refresh_token()
    response = signed_out.post(SESSION_URL, json={"email": "x@a.test"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "password": ["Missing data for required field."]
    }


def test_sign_in_without_a_csrf_token_is_refused(world, browser):
    signed_out = browser()
    signed_out.refresh_token()
    response = signed_out.client.post(
        SESSION_URL, json={"email": world.a.clinician, "password": PASSWORD}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert signed_out.get(SESSION_URL).get_json()["clinician"] is None


def test_a_change_without_or_with_a_wrong_csrf_token_is_refused(clinician):
    body = {"name": "Ann", "timezone": "Europe/London", "protocol_id": "scalp-nation"}
    for headers in ({"X-CSRFToken": ""}, {"X-CSRFToken": "forged"}):
        response = clinician.post(CLIENTS_URL, json=body, headers=headers)
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "csrf_failed"
    assert clinician.post(CLIENTS_URL, json=body).status_code == 201


def test_a_token_from_another_browser_does_not_work(world, browser, clinician):
    other = browser()
    other.refresh_token()
    body = {"name": "Ann", "timezone": "Europe/London", "protocol_id": "scalp-nation"}
    response = clinician.post(CLIENTS_URL, json=body, headers={"X-CSRFToken": other.csrf_token})
    assert response.get_json()["error"]["code"] == "csrf_failed"


def test_signing_in_changes_the_csrf_token(world, browser):
    signed_in = browser()
    before = signed_in.refresh_token()["csrf_token"]
    response = signed_in.post(SESSION_URL, json={"email": world.a.clinician, "password": PASSWORD})
    after = response.get_json()["csrf_token"]
    assert after != before
    # The token from before signing in no longer passes.
    stale = signed_in.delete(SESSION_URL, headers={"X-CSRFToken": before})
    assert stale.get_json()["error"]["code"] == "csrf_failed"


def test_signing_out_ends_every_session_of_that_clinician(app, world, browser):
    laptop, desk = browser(), browser()
    laptop.sign_in(world.a.clinician)
    desk.sign_in(world.a.clinician)
    colleague = browser()
    colleague.sign_in(world.a.admin)
    response = laptop.delete(SESSION_URL)
    assert response.status_code == 200
    assert response.get_json()["clinician"] is None
    assert laptop.get(CLIENTS_URL).status_code == 401
    assert desk.get(CLIENTS_URL).status_code == 401
    assert colleague.get(CLIENTS_URL).status_code == 200
    with app.app_context():
        assert db.session.get(Clinician, clinician_id(app, world.a.clinician)).session_epoch == 1
    # Signing in again works, with a cookie for the new epoch.
    assert desk.sign_in(world.a.clinician).status_code == 200
    assert desk.get(CLIENTS_URL).status_code == 200


def test_a_copied_cookie_stops_working_after_sign_out(world, browser):
    laptop = browser()
    laptop.sign_in(world.a.clinician)
    stolen = laptop.client.get_cookie("session").value
    laptop.delete(SESSION_URL)
    thief = browser()
    thief.client.set_cookie("session", stolen)
    assert thief.get(CLIENTS_URL).status_code == 401


def test_deactivating_or_bumping_the_epoch_signs_out_at_once(app, world, clinician):
    assert clinician.get(CLIENTS_URL).status_code == 200
    with app.app_context():
        db.session.get(Clinician, clinician_id(app, world.a.clinician)).active = False
        db.session.commit()
    assert clinician.get(CLIENTS_URL).status_code == 401
    with app.app_context():
        person = db.session.get(Clinician, clinician_id(app, world.a.clinician))
        person.active = True
        person.session_epoch += 1
        db.session.commit()
    assert clinician.get(CLIENTS_URL).status_code == 401


@pytest.mark.parametrize("user_id", ["1", "1:", ":0", "x:0", "1:0:0", "999:0"])
def test_a_malformed_or_unknown_user_id_in_the_session_is_nobody(app, world, browser, user_id):
    visitor = browser()
    with visitor.client.session_transaction() as session:
        session["_user_id"] = user_id
    assert visitor.get(CLIENTS_URL).status_code == 401


def test_signing_out_needs_a_signed_in_clinician(world, browser):
    visitor = browser()
    visitor.refresh_token()
    response = visitor.delete(SESSION_URL)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_unauthenticated_clinic_calls_get_the_envelope_not_a_redirect(world, browser):
    response = browser().client.get(CLIENTS_URL)
    assert response.status_code == 401
    assert "Location" not in response.headers
    assert response.get_json() == {"error": {"code": "unauthorized", "message": "Sign in first."}}


def test_sign_in_and_out_are_audited(app, world, browser, now):
    signed_in = browser()
    signed_in.sign_in(world.a.admin)
    signed_in.delete(SESSION_URL)
    admin_id = clinician_id(app, world.a.admin)
    assert audit_actions(app) == [
        ("clinician.sign_in", admin_id, {}),
        ("clinician.sign_out", admin_id, {}),
    ]
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry)).all()
        assert {(e.clinic_id, e.at, e.client_id) for e in entries} == {
            (world.a.clinic_id, now, None)
        }


def test_over_https_the_csrf_check_also_wants_a_same_origin_referer(world, browser):
    https = {"base_url": "https://aftercue.test"}
    visitor = browser().client
    token = visitor.get(SESSION_URL, **https).get_json()["csrf_token"]
    body = {"email": world.a.clinician, "password": PASSWORD}
    headers = {"X-CSRFToken": token}
    refused = visitor.post(SESSION_URL, json=body, headers=headers, **https)
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    headers["Referer"] = "https://aftercue.test/clinic"
    assert visitor.post(SESSION_URL, json=body, headers=headers, **https).status_code == 200
    # So the app's own pages must not tell browsers to drop the Referer on same-origin calls.
    policy = visitor.get("/healthz").headers["Referrer-Policy"]
    assert policy in {"same-origin", "strict-origin", "strict-origin-when-cross-origin"}
