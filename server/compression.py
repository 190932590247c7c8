"""Compressed answers: the dashboard's pages, the API's JSON and the plan, by Flask-Compress.

The app shell is compressed once when it is read (phone/shell_files.py) and arrives here
already encoded, so it is left alone. Streamed answers (the exports, CSV and JSON, and files)
are sent as they are made: compressing them here would hold them back, chunk by chunk.
"""

from flask import Flask
from flask_compress import Compress

compress = Compress()

SETTINGS = {
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/javascript",
        "text/plain",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
    ],
    # Brotli when the browser takes it (every current one over https), else gzip.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    # Level 4 is Flask-Compress's choice too: nearly gzip -9's size at a fraction of the time
    # of level 11, which suits a body made per request.
    "COMPRESS_BR_LEVEL": 4,
    "COMPRESS_LEVEL": 6,
    # Below this a compressed body saves less than its headers cost.
    "COMPRESS_MIN_SIZE": 500,
    "COMPRESS_STREAMS": False,
}


def init_app(app: Flask) -> None:
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    compress.init_app(app)
