"""Malformed requests to the clinic API get the error envelope with a stable code."""

import pytest

CLIENTS_URL = "/api/v1/clinic/clients"
SESSION_URL = "/api/v1/clinic/session"


def error_code(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"]["code"]


def test_a_method_a_route_does_not_take_is_405_with_allow(clinician):
    response = clinician.open("PUT", CLIENTS_URL, json={})
    assert error_code(response, 405) == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert error_code(clinician.open("PUT", SESSION_URL, json={}), 405) == "method_not_allowed"


def test_an_unknown_clinic_address_is_404(clinician):
    assert error_code(clinician.get("/api/v1/clinic/nowhere"), 404) == "not_found"
    assert error_code(clinician.get(f"{CLIENTS_URL}/abc"), 404) == "not_found"


def test_a_body_over_the_limit_is_413(clinician):
    response = clinician.post(
        CLIENTS_URL, data="{" + " " * (2 * 1024 * 1024) + "}", content_type="application/json"
    )
    assert error_code(response, 413) == "too_large"


@pytest.mark.parametrize("url", [CLIENTS_URL, SESSION_URL])
def test_a_body_that_is_not_json_is_415(clinician, url):
    response = clinician.post(
        url, data="name=Ann", content_type="application/x-www-form-urlencoded"
    )
    assert error_code(response, 415) == "unsupported_media_type"
    response = clinician.post(url, data='{"name": "Ann"}', content_type="text/plain")
    assert error_code(response, 415) == "unsupported_media_type"


@pytest.mark.parametrize("url", [CLIENTS_URL, SESSION_URL])
def test_malformed_json_is_400(clinician, url):
    response = clinician.post(url, data='{"name": ', content_type="application/json")
    assert error_code(response, 400) == "malformed_request"
    assert response.get_json()["error"]["message"] == "The body is not valid JSON."


def test_json_that_is_not_an_object_is_a_field_error(clinician):
    response = clinician.post(CLIENTS_URL, json=["Ann"])
    assert error_code(response, 422) == "invalid_fields"


def test_a_crash_is_a_500_in_the_envelope(app, world, clinician, monkeypatch):
    import server.api.clinic as views

    def explode(*args, **kwargs):
        raise RuntimeError("secret detail")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(views.client_record, "view", explode)
    response = clinician.get(f"{CLIENTS_URL}/{world.a.client_id}")
    assert error_code(response, 500) == "server_error"
    assert "secret detail" not in response.get_data(as_text=True)
