"""Photo uploads: throughput and the server's memory per upload, with a 12-megapixel phone photo.

Each upload is PUT /api/v1/me/photos/<id> in-process (the Flask test client: no network), a
new id each time, the image from tests/support/images.py (4000 by 3000, noisy, with EXIF and
GPS), made in a child process so its 12-megapixel buffers stay out of this one's memory.
Memory is measured twice: tracemalloc's peak during one upload (what Python allocates: the
body and its copies), and the growth of the process's peak resident size (VmHWM, Linux) over
its size before the first upload, which also counts Pillow's own buffers (decoding, resizing,
encoding) and the database driver's. DATABASE_URL picks the database (default: a SQLite
file in a temp folder; an empty PostgreSQL database works too: it is migrated first).

    .venv/bin/python bench/photos.py [uploads] [camera|app]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, datetime
from pathlib import Path

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)
# The phone's photo (12 megapixels, as a camera takes it) or, with `app`, what the app sends
# after shrinking it (1600 by 1200).
MAKE_PHOTO = {
    "camera": "from tests.support.images import twelve_megapixels as make; data = make()",
    "app": "from tests.support.images import phone_jpeg as make; data = make(1600, 1200)",
}

from flask_migrate import upgrade  # noqa: E402

from server import create_app  # noqa: E402
from server.extensions import db  # noqa: E402
from tests.support.phones import make_client  # noqa: E402


def main(uploads: int = 10, kind: str = "camera") -> None:
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
    photo = subprocess.run(
        [sys.executable, "-c", MAKE_PHOTO[kind] + "; import sys; sys.stdout.buffer.write(data)"],
        capture_output=True,
        check=True,
        cwd=REPO,
    ).stdout
    before = _status_kb("VmRSS")
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
    grown = (_status_kb("VmHWM") - before) / 1000
    with app.app_context():
        dialect = db.engine.dialect.name
    print(
        f"{dialect}: {len(photo) / 1e6:.1f} MB {kind} JPEG, {uploads} uploads in {seconds:.1f} s"
        f" = {uploads / seconds:.2f} uploads/s ({1000 * seconds / uploads:.0f} ms each);"
        f" peak Python memory per upload {max(peaks) / 1e6:.0f} MB (tracemalloc),"
        f" peak resident size grew {grown:.0f} MB over {before / 1000:.0f} MB"
    )


def _status_kb(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise SystemExit(f"no {name} in /proc/self/status (Linux only)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10, *sys.argv[2:3])
