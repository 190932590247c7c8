"""Security headers on every response, and which proxies to believe about the request."""

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script or style anywhere: the app and the dashboard load only their own files.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
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


def init_app(app: Flask) -> None:
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
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
