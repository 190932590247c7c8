"""The largest plan the limits allow, end to end: what it costs to create, show and export.

Usage: python bench/big_plan.py [--postgres-url URL]

On a fresh SQLite database (and on PostgreSQL with --postgres-url, dropped and created
again), one clinic and its clinician; through the Flask test client, signed in: POST a new
7 Derma client (shaved scalp, the protocol with the most tasks a day) with the most sessions
(MAX_SESSIONS) spread over the longest course the default limits allow, from SESSION_DAYS_BACK
days ago; then GET the client's dashboard page, the tasks CSV, and the phone's own export
(after enrolling with the new client's link). Then the attack run's course (2000-01-03 and
2099-12-01), which is refused. Prints a markdown table: milliseconds, rows and bytes, and the
peak of Python's memory (tracemalloc) during each request.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
from sqlalchemy import func, select

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from sync import fresh_database  # noqa: E402

from server import config, create_app  # noqa: E402
from server.domain.course_limits import CourseLimits  # noqa: E402
from server.domain.plan import MAX_SESSIONS  # noqa: E402
from server.extensions import db  # noqa: E402
from server.models import Clinic, Clinician, PlanOccurrence  # noqa: E402
from tests.support.clinics import Browser  # noqa: E402

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
PASSWORD = "bench-password-0123456789"


def course(first: datetime, days: int, count: int) -> list[dict]:
    step = timedelta(days=days) / (count - 1)
    starts = [first + step * n for n in range(count)]
    return [{"start": s.isoformat(), "end": (s + timedelta(hours=4)).isoformat()} for s in starts]


def timed(request):
    tracemalloc.start()
    began = time.perf_counter()
    response = request()
    body = response.get_data()  # a streamed answer is produced here
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return response, body, seconds * 1000, peak / 2**20


def measure(uri: str) -> list[str]:
    settings = {"SQLALCHEMY_DATABASE_URI": uri, "CLOCK": lambda: NOW, "RATELIMIT_ENABLED": False}
    app = create_app({**settings, "LOG_LEVEL": "WARNING"})
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with app.app_context():
        flask_migrate.upgrade(directory=str(REPO / "migrations"))
        clinic = Clinic(name="Bench clinic", created_at=NOW)
        person = Clinician(clinic=clinic, email="c@bench.test", name="Clinician", role="clinician")
        person.set_password(PASSWORD)
        db.session.add(person)
        db.session.commit()
    clinician = Browser(app.test_client())
    assert clinician.sign_in("c@bench.test", PASSWORD).status_code == 200
    limits = CourseLimits()
    body = {
        "name": "Largest course",
        "timezone": "Europe/London",
        "protocol_id": "seven-derma",
        "answers": {"hair_length": "shaved"},
        "sessions": course(
            NOW - timedelta(days=limits.days_back), limits.longest_course_days, MAX_SESSIONS
        ),
    }
    rows = []
    created, raw, ms, peak = timed(lambda: clinician.post("/api/v1/clinic/clients", json=body))
    assert created.status_code == 201, created.get_json()
    record = created.get_json()
    client_id = record["id"]
    with app.app_context():
        occurrences = db.session.scalar(
            select(func.count()).where(PlanOccurrence.client_id == client_id)
        )
    rows.append(("create (POST clients)", created.status_code, ms, len(raw), peak))
    page, raw, ms, peak = timed(lambda: clinician.get(f"/clinic/clients/{client_id}"))
    rows.append(("client page", page.status_code, ms, len(raw), peak))
    csv, raw, ms, peak = timed(lambda: clinician.get(f"/clinic/clients/{client_id}/tasks.csv"))
    rows.append(("tasks CSV", csv.status_code, ms, len(raw), peak))
    code = re.search(r"#(.+)$", record["enrollment"]["url"]).group(1)
    phone = app.test_client()
    token = phone.post("/api/v1/enroll", json={"code": code}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    plan, raw, ms, peak = timed(lambda: phone.get("/api/v1/me/plan", headers=headers))
    rows.append(("phone's plan", plan.status_code, ms, len(raw), peak))
    export, raw, ms, peak = timed(lambda: phone.get("/api/v1/me/export", headers=headers))
    rows.append(("phone's export", export.status_code, ms, len(raw), peak))
    attack = {
        **body,
        "sessions": [
            {"start": "2000-01-03T10:00:00Z", "end": "2000-01-03T14:00:00Z"},
            {"start": "2099-12-01T10:00:00Z", "end": "2099-12-01T14:00:00Z"},
        ],
    }
    refused, raw, ms, peak = timed(lambda: clinician.post("/api/v1/clinic/clients", json=attack))
    assert refused.status_code == 422
    rows.append(("2000-2099 course (refused)", refused.status_code, ms, len(raw), peak))
    lines = [f"{occurrences} task occurrences over a {limits.longest_course_days}-day course\n"]
    lines += ["| request | status | ms | bytes | Python peak MiB |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {n} | {s} | {ms:.0f} | {size:,} | {peak:.1f} |" for n, s, ms, size, peak in rows]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", help="also measure on this PostgreSQL database")
    args = parser.parse_args()
    backends = ["sqlite"] + (["postgresql"] if args.postgres_url else [])
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            print(f"\n### {backend}\n")
            uri = fresh_database(backend, folder, args.postgres_url)
            print("\n".join(measure(config.database_url(uri))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
