"""Security headers on every response, which proxies to believe about the request, and what
the development server's log may say."""

import logging
import re

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script or style anywhere: the app and the dashboard load only their own files.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # blob: the app's own photos, drawn from IndexedDB before (and after) they are sent
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Two years, subdomains too, and only on https responses: browsers then refuse plain http to
# the host for that long, which on a dev's http://localhost would lock them out of it.
HSTS = "max-age=63072000; includeSubDomains"
# Powerful features nothing here uses, off for the app and anything framed in it.
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
# Responses that carry a secret (a CSRF token, a device token, an enrollment code) or a
# client's record: no copy kept on a shared desk computer's disk or in a proxy. The app's
# plan revalidates with its ETag instead (api/caching.py says so itself).
PRIVATE = ("/clinic/", "/api/v1/clinic/", "/api/v1/enroll", "/api/v1/me")
PUBLIC_FILES = "/clinic/static/"


class NoQueryStrings(logging.Filter):
    """`flask run` logs each request line; a search for a client by name (?q=...) must not be
    in it (gunicorn.conf.py does the same for gunicorn)."""

    QUERY = re.compile(r"\?[^ ]*")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple) and isinstance(record.args[0], str):
            record.args = (self.QUERY.sub("", record.args[0], count=1), *record.args[1:])
        return True


QUERY_FILTER = NoQueryStrings()


def init_app(app: Flask) -> None:
    werkzeug = logging.getLogger("werkzeug")
    if QUERY_FILTER not in werkzeug.filters:
        werkzeug.addFilter(QUERY_FILTER)
    trusted = app.config["TRUSTED_PROXIES"]
    if trusted:
        # The client's address (rate limits), scheme (HSTS, Secure cookies, url_for) and host as
        # the nearest `trusted` proxies saw them; with none trusted, X-Forwarded-* mean nothing.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted, x_host=trusted)
    app.after_request(add_headers)


def add_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # Same-origin: the CSRF check on HTTPS wants our own Referer; other sites get none.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS)
    # A window this app opens, or that opens it, gets no handle on the other (tabnabbing).
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    path = request.path
    if path.startswith(PRIVATE) and not path.startswith(PUBLIC_FILES):
        response.headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
