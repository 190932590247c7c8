"""Who gets into the dashboard: sign-in, CSRF on every form, ended sessions, rate limits."""

import re

from server import rate_limits
from server.clinic import auth
from server.extensions import db
from server.models import AuditEntry, Clinician
from tests.support.app_routes import routes
from tests.support.clinics import PASSWORD

LOGIN = "/clinic/login"


def test_pages_send_anyone_not_signed_in_to_sign_in_and_back(world, dashboard):
    stranger = dashboard()
    response = stranger.get(f"/clinic/clients/{world.a.client_id}")
    assert response.status_code == 302
    assert response.location == f"{LOGIN}?next=/clinic/clients/{world.a.client_id}"
    data = {"csrf_token": stranger.token(), "email": world.a.clinician, "password": PASSWORD}
    signed_in = stranger.client.post(response.location, data=data)
    assert signed_in.location == f"/clinic/clients/{world.a.client_id}"


def test_sign_in_never_redirects_off_the_dashboard(world, dashboard):
    person = dashboard()
    for target in ("https://evil.example/", "//evil.example/clinic/", "/clinic//evil.example"):
        data = {"csrf_token": person.token(), "email": world.a.clinician, "password": PASSWORD}
        response = person.client.post(f"{LOGIN}?next={target}", data=data)
        assert response.location == "/clinic/"


def test_a_wrong_password_is_refused_without_saying_why(world, dashboard):
    person = dashboard()
    response = person.sign_in(world.a.clinician, "wrong")
    assert response.status_code == 200 and "Wrong email or password." in response.text
    assert person.get("/clinic/").status_code == 302


def test_every_form_without_its_csrf_token_is_refused(app, world, clinician_a, admin_a):
    posts = [
        rule for rule, method in routes(app) if method == "POST" and rule.rule.startswith("/clinic")
    ]
    assert len(posts) >= 12
    for rule in posts:
        path = re.sub(r"<int:\w+>", "1", rule.rule)
        for person in (clinician_a, admin_a):
            response = person.post(path, {"name": "x", "start": "2026-04-01T10:00"}, token=False)
            assert response.status_code == 400, path
            assert "This form has expired" in response.text


def test_forms_with_a_token_from_another_browser_are_refused(world, clinician_a, dashboard):
    other = dashboard()
    other.sign_in(world.b.clinician)
    stolen = other.token("/clinic/password")
    response = clinician_a.client.post(
        f"/clinic/clients/{world.a.client_id}/enrollment", data={"csrf_token": stolen}
    )
    assert response.status_code == 400


def test_a_deactivated_clinician_is_signed_out_at_once(app, world, clinician_a):
    with app.app_context():
        person = db.session.query(Clinician).filter_by(email=world.a.clinician).one()
        person.active = False
        auth.end_sessions(person)
        db.session.commit()
    response = clinician_a.get("/clinic/")
    assert response.status_code == 302 and response.location.startswith(LOGIN)
    assert clinician_a.sign_in(world.a.clinician).status_code == 403  # and cannot come back


def test_deactivation_alone_ends_the_session(app, world, clinician_a):
    with app.app_context():
        db.session.query(Clinician).filter_by(email=world.a.clinician).one().active = False
        db.session.commit()
    assert clinician_a.get("/clinic/").status_code == 302


def test_signing_out_ends_every_session_of_that_clinician(world, dashboard):
    laptop, phone = dashboard(), dashboard()
    laptop.sign_in(world.a.clinician)
    phone.sign_in(world.a.clinician)
    assert phone.get("/clinic/").status_code == 200
    assert laptop.post("/clinic/logout").location == LOGIN
    assert phone.get("/clinic/").status_code == 302  # a stale session
    assert laptop.get("/clinic/").status_code == 302


def test_a_password_change_ends_the_other_sessions_only(app, world, dashboard, now):
    laptop, phone = dashboard(), dashboard()
    laptop.sign_in(world.a.clinician)
    phone.sign_in(world.a.clinician)
    new = "a much longer new password"
    wrong = laptop.post("/clinic/password", {"current": "nope", "new": new, "confirm": new})
    assert wrong.status_code == 422 and "current password is not right" in wrong.text
    response = laptop.post("/clinic/password", {"current": PASSWORD, "new": new, "confirm": new})
    assert response.status_code == 302
    assert laptop.get("/clinic/").status_code == 200
    assert phone.get("/clinic/").status_code == 302
    assert dashboard().sign_in(world.a.clinician, new).status_code == 302
    with app.app_context():
        actions = [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert "clinician.password_change" in actions


def test_a_short_or_mistyped_new_password_is_refused(world, clinician_a):
    short = clinician_a.post("/clinic/password", {"current": PASSWORD, "new": "x", "confirm": "x"})
    assert short.status_code == 422
    typo = clinician_a.post(
        "/clinic/password",
        {"current": PASSWORD, "new": "long enough password", "confirm": "long enough passwort"},
    )
    assert typo.status_code == 422 and "differ" in typo.text


def test_the_sign_in_form_is_rate_limited_with_retry_after(world, dashboard):
    guesser = dashboard()
    limit = rate_limits.allowance(rate_limits.SIGN_IN_PER_ACCOUNT_AND_ADDRESS)
    for _ in range(limit):
        assert guesser.sign_in(world.a.admin, "wrong").status_code == 200
    response = guesser.sign_in(world.a.admin)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many attempts" in response.text
    # The API's sign-in shares the count: the account is limited there too.
    api = guesser.client.post(
        "/api/v1/clinic/session",
        json={"email": world.a.admin, "password": PASSWORD},
        headers={"X-CSRFToken": guesser.token()},
    )
    assert api.status_code == 429


def test_pages_carry_the_strict_csp_and_no_inline_script_or_style(world, clinician_a):
    for path in ("/clinic/", f"/clinic/clients/{world.a.client_id}", "/clinic/clients/new"):
        response = clinician_a.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        html = response.text
        assert "<script" not in html and "<style" not in html and " style=" not in html
        assert not re.search(r" on[a-z]+=", html)
