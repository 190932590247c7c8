"""How the dashboard sends a CSV: streamed, as an attachment, never cached."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from flask import Response, stream_with_context


def csv_response(name: str, chunks: Iterator[str]) -> Response:
    """Sent as written (the audit entry is committed first); a byte-order mark, so Excel reads
    the file as UTF-8."""
    response = Response(stream_with_context(chain(["\ufeff"], chunks)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
