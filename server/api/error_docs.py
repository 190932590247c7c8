"""The errors each API operation can answer with, documented in the OpenAPI by their codes."""

from __future__ import annotations

from ..errors import STATUSES, ErrorSchema
from .blueprint import Blueprint

# A JSON body that is not JSON, too large, or in another format.
JSON_BODY = ("malformed_request", "too_large", "unsupported_media_type")
# A read with the clinic's session cookie: signed in, with a password of one's own.
CLINIC_READ = ("unauthorized", "password_change_required")
# A change made with it: the same, and the CSRF token sent.
CLINIC_CHANGE = (*CLINIC_READ, "csrf_failed")


def errors(bp: Blueprint, *codes: str):
    """Decorate a view: document `codes` (from errors.STATUSES), one response per status.

    Validation errors (422) are documented by flask-smorest wherever `@bp.arguments` is used.
    """
    by_status: dict[int, list[str]] = {}
    for code in codes:
        by_status.setdefault(STATUSES[code], []).append(code)

    def document(view):
        for status, grouped in sorted(by_status.items()):
            described = bp.alt_response(status, schema=ErrorSchema, description=", ".join(grouped))
            view = described(view)
        return view

    return document
