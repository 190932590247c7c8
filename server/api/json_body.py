"""Request bodies are JSON or nothing."""

from flask import request

from ..errors import ApiError


def require_json_body() -> None:
    """415 for a body in another format, rather than reading it as no body at all."""
    if request.content_length and not request.is_json:
        raise ApiError(
            415, "unsupported_media_type", "Send JSON with Content-Type: application/json."
        )
