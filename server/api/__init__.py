"""The JSON API under /api, documented at /api/openapi.json from its marshmallow schemas."""

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import AftercueApi
from ..extensions import csrf
from . import (
    clinic,
    clinic_session,
    enroll,
    health,
    me,
    my_data,
    photos,
    protocols,
    push,
    reminders,
)
from .json_body import JsonProvider

api = AftercueApi()

# Called with a Bearer token or nothing at all, never with the clinic's session cookie,
# so cross-site request forgery does not apply to them.
DEVICE_BLUEPRINTS = (
    protocols.bp,
    enroll.bp,
    me.bp,
    my_data.bp,
    photos.bp,
    push.public_bp,
    push.bp,
    reminders.bp,
)
# Called from the dashboard with its session cookie: CSRF-protected (X-CSRFToken header).
CLINIC_BLUEPRINTS = (clinic_session.bp, clinic.bp)


def init_app(app: Flask) -> None:
    app.json = JsonProvider(app)
    app.config.setdefault("API_TITLE", "Aftercue API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    # Far above any honest request (500 events are about 100 KB), far below harm.
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's own default is no limit
        app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    api.init_app(app)
    app.before_request(refuse_oversized_bodies)
    api.spec.components.security_scheme(
        "device_token", {"type": "http", "scheme": "bearer", "description": "From /api/v1/enroll"}
    )
    api.spec.components.security_scheme(
        "clinic_session",
        {
            "type": "apiKey",
            "in": "cookie",
            "name": "session",
            "description": "From POST /api/v1/clinic/session; send X-CSRFToken with changes",
        },
    )
    app.register_blueprint(health.bp)
    for blueprint in DEVICE_BLUEPRINTS:
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    for blueprint in CLINIC_BLUEPRINTS:
        api.register_blueprint(blueprint)


def refuse_oversized_bodies() -> None:
    """413 before anything reads the body (a parser would otherwise call it bad JSON). An
    operation may take more (a photo); its limit also stops a body sent without a length."""
    limit = photos.BODY_LIMITS.get(request.endpoint, current_app.config["MAX_CONTENT_LENGTH"])
    request.max_content_length = limit
    length = request.content_length
    if length is not None and length > limit:
        raise RequestEntityTooLarge()
