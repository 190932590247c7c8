"""ETag and 304 for responses whose version we already know."""

from flask import Response, json, request


def versioned_json(payload, etag: str, private: bool = False) -> Response:
    """JSON with a strong ETag; 304 Not Modified when the caller already has this version.

    Compressed, the answer is another representation and Flask-Compress gives it its own
    strong tag ("v:br"), then answers 304 to that tag too (tests/test_compression.py).
    """
    response = Response(json.dumps(payload), mimetype="application/json")
    response.set_etag(etag)
    # Always revalidate (a cheap 304), so a changed plan or protocol is never served stale.
    response.headers["Cache-Control"] = ("private, " if private else "") + "no-cache"
    return response.make_conditional(request)
