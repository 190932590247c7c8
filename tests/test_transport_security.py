"""Security headers on http and https, Secure cookies behind https, and trusting proxies."""

import re

import pytest
from flask import request, url_for

from tests.support.clinics import PASSWORD, SESSION_URL

HTTP = {"base_url": "http://localhost"}
HTTPS = {"base_url": "https://localhost"}
FORWARDED_HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "aftercue.example"}
# The app's shell, a dashboard page, the API, an API error and a page error.
PATHS = ["/", "/clinic/login", "/api/v1/protocols", "/api/v1/me", "/nowhere", "/healthz"]


def hsts_max_age(response) -> int | None:
    response.close()  # the app's shell is a file
    header = response.headers.get("Strict-Transport-Security")
    if header is None:
        return None
    assert "includeSubDomains" in header
    return int(re.fullmatch(r"max-age=(\d+); includeSubDomains", header).group(1))


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("scheme", [HTTP, HTTPS], ids=["http", "https"])
def test_every_response_has_the_security_headers(client, path, scheme):
    with client.get(path, **scheme) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_signed_in_and_secret_bearing_answers_are_never_stored(app, world, clinician, client):
    # The dashboard's pages (a CSRF token, clients' records), the clinic's API, the link page
    # with its code, the phone's enrollment (its token) and its own data.
    dashboard = app.test_client()
    for path in ("/clinic/login", "/api/v1/clinic/session"):
        assert dashboard.get(path).headers["Cache-Control"] == "no-store", path
    for path in ("/api/v1/clinic/clients", f"/api/v1/clinic/clients/{world.a.client_id}"):
        assert clinician.get(path).headers["Cache-Control"] == "no-store", path
    link = clinician.post(f"/api/v1/clinic/clients/{world.a.client_id}/enrollment-codes")
    assert link.headers["Cache-Control"] == "no-store"
    enrolled = client.post("/api/v1/enroll", json={"code": link.get_json()["code"]})
    assert enrolled.status_code == 201 and enrolled.headers["Cache-Control"] == "no-store"
    for path in ("/api/v1/me", "/api/v1/me/reminders", "/api/v1/me/export"):
        assert client.get(path, headers=world.a.phone).headers["Cache-Control"] == "no-store"
    # The plan revalidates with its ETag; the app's shell and the dashboard's styles are files.
    plan = client.get("/api/v1/me/plan", headers=world.a.phone).headers["Cache-Control"]
    assert plan == "private, no-cache"
    for path in ("/clinic/static/clinic.css", "/"):
        with client.get(path) as response:  # a file: closed when read
            assert response.headers.get("Cache-Control") != "no-store", path


@pytest.mark.parametrize("path", PATHS)
def test_hsts_is_sent_over_https_only(client, path):
    assert hsts_max_age(client.get(path, **HTTP)) is None
    assert hsts_max_age(client.get(path, **HTTPS)) >= 365 * 24 * 3600


def test_forwarded_https_counts_only_from_a_trusted_proxy(make_app):
    untrusted = make_app().test_client()
    assert hsts_max_age(untrusted.get("/healthz", headers=FORWARDED_HTTPS)) is None
    trusted = make_app(TRUSTED_PROXIES="1").test_client()
    assert hsts_max_age(trusted.get("/healthz", headers=FORWARDED_HTTPS)) >= 365 * 24 * 3600
    assert hsts_max_age(trusted.get("/healthz")) is None


@pytest.mark.parametrize(
    ("trusted", "address", "secure", "link"),
    [
        ("0", "10.0.0.3", False, "http://localhost/probe"),
        ("1", "10.0.0.2", False, "http://internal-lb/probe"),
        ("2", "203.0.113.9", True, "https://aftercue.example/probe"),
    ],
)
def test_the_request_is_seen_as_the_nearest_trusted_proxies_saw_it(
    make_app, trusted, address, secure, link
):
    app = make_app(TRUSTED_PROXIES=trusted)

    @app.get("/probe")
    def probe():
        return {
            "address": request.remote_addr,
            "secure": request.is_secure,
            "link": url_for("probe", _external=True),
        }

    # A client claims to be 6.6.6.6 and reaches the outer proxy over https from 203.0.113.9;
    # the outer proxy (10.0.0.2) passes it on over http to the inner one, "internal-lb", which
    # connects to Aftercue from 10.0.0.3. Each proxy appends what it saw.
    headers = {
        "X-Forwarded-For": "6.6.6.6, 203.0.113.9, 10.0.0.2",
        "X-Forwarded-Proto": "https, http",
        "X-Forwarded-Host": "aftercue.example, internal-lb",
    }
    seen = app.test_client().get(
        "/probe", headers=headers, environ_overrides={"REMOTE_ADDR": "10.0.0.3"}
    )
    assert seen.get_json() == {"address": address, "secure": secure, "link": link}


def session_cookie(response) -> str:
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def sign_in(app, email, **scheme):
    browser = app.test_client()
    token = browser.get(SESSION_URL, **scheme).get_json()["csrf_token"]
    headers = {"X-CSRFToken": token, "Referer": f"{scheme['base_url']}/clinic/login"}
    body = {"email": email, "password": PASSWORD}
    return browser.post(SESSION_URL, json=body, headers=headers, **scheme)


def test_cookies_are_secure_when_served_over_https(world, make_app):
    app = make_app(PUBLIC_URL="https://aftercue.example")
    response = sign_in(app, world.a.clinician, **HTTPS)
    assert response.status_code == 200
    cookie = session_cookie(response)
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
    # Flask-Login's remember-me cookie is not used, but would be as careful if it were.
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_cookies_work_over_plain_http_for_development(world, make_app):
    app = make_app(PUBLIC_URL="http://127.0.0.1:5000")
    response = sign_in(app, world.a.clinician, **HTTP)
    assert response.status_code == 200
    cookie = session_cookie(response)
    assert "Secure" not in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
    assert app.config["REMEMBER_COOKIE_SECURE"] is False
