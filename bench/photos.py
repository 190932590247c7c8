"""Photo uploads: throughput and the server's memory per upload, with a 12-megapixel phone photo.

Each upload is PUT /api/v1/me/photos/<id> in-process (the Flask test client: no network), a
new id each time, the image from tests/support/images.py (4000 by 3000, noisy, with EXIF and
GPS). Memory is tracemalloc's peak during one upload: what Python allocates, Pillow's
decoding buffers included. DATABASE_URL picks the database (default: a SQLite file in a temp
folder; an empty PostgreSQL database works too: it is migrated first).

    .venv/bin/python bench/photos.py [uploads]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flask_migrate import upgrade

from server import create_app
from server.extensions import db
from tests.support.images import twelve_megapixels
from tests.support.phones import make_client


def main(uploads: int = 10) -> None:
    folder = tempfile.mkdtemp()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret-key-0123456789abcdef",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
    now = datetime.now(UTC)
    enrolled = make_client(app, now, clinic_name=f"Bench {uuid.uuid4().hex[:6]}")
    photo = twelve_megapixels()
    client = app.test_client()
    headers = {**enrolled.phone, "Content-Type": "image/jpeg"}

    def put():
        response = client.put(
            f"/api/v1/me/photos/{uuid.uuid4()}",
            query_string={"taken_at": now.isoformat()},
            data=photo,
            headers=headers,
        )
        assert response.status_code == 201, response.get_json()

    put()  # warm: imports, connections
    peaks = []
    for _ in range(3):
        tracemalloc.start()
        put()
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    started = time.perf_counter()
    for _ in range(uploads):
        put()
    seconds = time.perf_counter() - started
    with app.app_context():
        dialect = db.engine.dialect.name
    print(
        f"{dialect}: {len(photo) / 1e6:.1f} MB 12-MP JPEG, {uploads} uploads in {seconds:.1f} s"
        f" = {uploads / seconds:.2f} uploads/s ({1000 * seconds / uploads:.0f} ms each);"
        f" peak Python memory per upload {max(peaks) / 1e6:.0f} MB"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
