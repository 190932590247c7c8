"""A dashboard session ends after SESSION_IDLE_MINUTES without a request, and
SESSION_MAX_HOURS after signing in: the page then asks to sign in, and returns after."""

from datetime import timedelta

import pytest

from tests.support.clinics import PASSWORD
from tests.support.dashboard import Dashboard

PAGE = "/clinic/admin/audit"


def at(app, moment):
    app.config["CLOCK"] = lambda: moment


def test_a_session_left_idle_ends_and_signing_in_returns_to_the_page(app, world, now, admin_a):
    assert admin_a.get(PAGE).status_code == 200
    at(app, now + timedelta(minutes=29))
    assert admin_a.get(PAGE).status_code == 200  # in use: the idle time starts again
    at(app, now + timedelta(minutes=29 + 31))
    response = admin_a.get(PAGE)
    assert response.status_code == 302
    assert response.location == f"/clinic/login?next={PAGE}"
    token = admin_a.token(response.location)
    signed = admin_a.client.post(
        response.location,
        data={"csrf_token": token, "email": world.a.admin, "password": PASSWORD},
    )
    assert (signed.status_code, signed.location) == (302, PAGE)
    assert admin_a.get(PAGE).status_code == 200


def test_a_session_in_constant_use_still_ends_after_its_lifetime(app, now, admin_a):
    for minutes in range(0, 12 * 60, 25):
        at(app, now + timedelta(minutes=minutes))
        assert admin_a.get(PAGE).status_code == 200, minutes
    at(app, now + timedelta(hours=12, seconds=1))
    assert admin_a.get(PAGE).status_code == 302


def test_the_clinic_api_answers_401_once_the_session_expired(app, now, clinician, world):
    path = f"/api/v1/clinic/clients/{world.a.client_id}"
    assert clinician.get(path).status_code == 200
    at(app, now + timedelta(minutes=31))
    response = clinician.get(path)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(("idle", "left"), [("5", 6), ("90", 91)])
def test_the_idle_time_is_a_setting(make_app, now, world, idle, left):
    app = make_app(SESSION_IDLE_MINUTES=idle)
    person = Dashboard(app.test_client())
    assert person.sign_in(world.a.admin).status_code == 302
    assert person.get(PAGE).status_code == 200
    app.config["CLOCK"] = lambda: now + timedelta(minutes=left - 2)
    assert person.get(PAGE).status_code == 200
    app.config["CLOCK"] = lambda: now + timedelta(minutes=2 * left)
    assert person.get(PAGE).status_code == 302
