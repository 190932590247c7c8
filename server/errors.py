"""The one JSON error envelope of the API: {"error": {"code", "message", "fields"}}, and how
the domain's refusals (domain/errors.py) become HTTP: once for the API, once for the dashboard.

Codes are stable and meant for programs (the app branches on them); messages are for people.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from flask_smorest import Api
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from .domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidField,
    NotFound,
    NotSignedIn,
    PasswordChangeRequired,
    ProtocolUnavailable,
    TooManyAttempts,
    UnusableImage,
)

log = logging.getLogger(__name__)

# HTTP status -> (code, message) used when nothing more specific was raised.
DEFAULTS = {
    400: ("malformed_request", "The request could not be read."),
    401: ("unauthorized", "Sign in first."),
    403: ("forbidden", "You are not allowed to do that."),
    404: ("not_found", "There is nothing here."),
    405: ("method_not_allowed", "This address does not accept that method."),
    409: ("conflict", "That conflicts with what is already stored."),
    412: ("precondition_failed", "The resource changed since you last read it."),
    413: ("too_large", "The request is too large."),
    415: ("unsupported_media_type", "Send JSON with Content-Type: application/json."),
    422: ("invalid_fields", "Some fields are not valid."),
    429: ("rate_limited", "Too many requests; try again later."),
    500: ("server_error", "Something went wrong on our side. Nothing was changed."),
}

# Every code the API answers with, and its status (README's API section lists them too).
STATUSES = {code: status for status, (code, _) in DEFAULTS.items()} | {
    "csrf_failed": 400,
    "invalid_enrollment_code": 400,
    "invalid_login": 401,
    "password_change_required": 403,
    "snooze_limit": 409,
    "checkin_conflict": 409,
    "too_many_sessions": 409,
    "photo_conflict": 409,
    "unusable_image": 422,
    "batch_too_large": 413,
    "protocol_unavailable": 503,
}


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "Stable machine-readable code"})
    message = fields.String(required=True, metadata={"description": "For people"})
    fields_ = fields.Dict(
        data_key="fields", metadata={"description": "Per-field problems, as field -> messages"}
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class ApiError(HTTPException):
    """An error with its own code, raised anywhere under /api."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None) -> None:
        super().__init__(description=message)
        self.code = status
        self.error_code = code
        self.fields = fields


def envelope(status: int, code: str, message: str, fields: dict | None = None) -> Response:
    body: dict = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify(error=body)
    response.status_code = status
    return response


class AftercueApi(Api):
    """flask-smorest's Api with our error envelope, for handling and for the OpenAPI document."""

    ERROR_SCHEMA = ErrorSchema
    # No catch-all "default" response: each operation documents the error statuses it answers.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def handle_http_exception(self, error: HTTPException):
        if not request.path.startswith("/api/"):
            return error  # pages outside the API keep Flask's own error pages
        return http_error(error)


def http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status >= 500:
        log.error("request failed: %s %s", request.method, request.path, exc_info=error)
    code, message = DEFAULTS.get(status, ("error", error.description or error.name))
    fields = None
    if isinstance(error, ApiError):
        code, message, fields = error.error_code, error.description, error.fields
    elif isinstance(error, CSRFError):
        code, message = "csrf_failed", f"{error.description} Reload the page and try again."
    else:
        data = getattr(error, "data", None) or {}
        # webargs puts validation problems under "messages", keyed by location.
        messages = data.get("messages") or data.get("errors")
        if status == 400 and "Invalid JSON" in str(messages or error.description):
            message = "The body is not valid JSON."
        elif messages:
            fields = _without_locations(messages)
    response = envelope(status, code, message, fields)
    if isinstance(error, HTTPException) and error.code == 405:
        response.headers["Allow"] = ", ".join(error.valid_methods or [])
    challenge = getattr(error, "www_authenticate", None)
    if isinstance(challenge, str):
        response.headers["WWW-Authenticate"] = challenge
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def described(error: DomainError) -> tuple[int, str, str, dict | None]:
    """A refusal as (status, code, message, fields), the same for every audience."""
    if isinstance(error, InvalidField):
        return 422, "invalid_fields", DEFAULTS[422][1], {error.field: [error.message]}
    if isinstance(error, Conflict):
        return 409, error.code, error.message, error.field and {error.field: [error.message]}
    if isinstance(error, UnusableImage):
        return 422, "unusable_image", error.message, None
    status = next(status for kind, status in STATUS_OF if isinstance(error, kind))
    code = "protocol_unavailable" if status == 503 else DEFAULTS[status][0]
    if isinstance(error, PasswordChangeRequired):
        code = "password_change_required"
    return status, code, error.message, None


STATUS_OF = (
    (NotFound, 404),
    (NotSignedIn, 401),
    (Forbidden, 403),
    (TooManyAttempts, 429),
    (ProtocolUnavailable, 503),
)


def sentences(error: DomainError) -> list[str]:
    """A refusal as sentences a person can act on (the dashboard flashes them)."""
    if isinstance(error, InvalidField):
        return [f"{error.field.replace('_', ' ').capitalize()}: {error.message}"]
    return [error.message]


def api_domain_error(error: DomainError):
    """The API's answer to a refusal; elsewhere a plain page with the same status."""
    status, code, message, fields = described(error)
    response = envelope(status, code, message, fields)
    if not request.path.startswith("/api/"):
        response = Response(message, status, mimetype="text/plain")
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, api_domain_error)


def _without_locations(messages: dict) -> dict:
    """{"json": {"events": ...}} -> {"events": ...}: the caller knows where it sent what."""
    merged: dict = {}
    for location, problems in messages.items():
        if location in {"json", "query", "form", "headers", "files", "path"} and isinstance(
            problems, dict
        ):
            merged.update(problems)
        else:
            merged[location] = problems
    return merged
