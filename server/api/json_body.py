"""Request bodies are JSON or nothing, and JSON that cannot be held is bad JSON.

Python's JSON reader raises RecursionError for deeply nested input and ValueError for an
integer of thousands of digits; webargs and Flask expect a decode error, so either was a 500.
Here both read as bad JSON: 400 in the envelope, or None where a reader asked to be silent.
"""

from __future__ import annotations

import json

from flask import request
from flask.json.provider import DefaultJSONProvider
from webargs.flaskparser import FlaskParser

from ..errors import ApiError


def require_json_body() -> None:
    """415 for a body in another format, rather than reading it as no body at all."""
    if request.content_length and not request.is_json:
        raise ApiError(
            415, "unsupported_media_type", "Send JSON with Content-Type: application/json."
        )


def loads(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError) as error:
        raise unreadable(error) from None


def unreadable(error: Exception) -> json.JSONDecodeError:
    # A document of its own: webargs takes a decode error of an empty one for "no body".
    return json.JSONDecodeError(f"cannot be read: {type(error).__name__}", "(not read)", 0)


class JsonParser(FlaskParser):
    """webargs' reader of request bodies (flask-smorest's @arguments), with `loads`."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except json.JSONDecodeError:
            raise
        except (RecursionError, ValueError) as error:
            raise unreadable(error) from None


class JsonProvider(DefaultJSONProvider):
    """Flask's own reader (request.get_json), with `loads`."""

    def loads(self, s, **kwargs):
        return loads(s)
