"""A long schemathesis run: tests/api/test_fuzz.py's harness with many more examples.

Usage: python bench/fuzz.py [--examples 200] [--backend sqlite|postgresql|both]
                            [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/bench]

Every operation of /api/openapi.json, as the client's phone, a clinician and a clinic admin,
with valid and invalid data (derandomized: the same requests every run). Prints the examples
sent, how the answers were spread over status codes, and every failure (exit status 1 if any).
The PostgreSQL database is wiped first.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from server import create_app  # noqa: E402
from tests.support import fuzzing  # noqa: E402
from tests.support.clinics import make_clinic  # noqa: E402

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def fresh_app(backend: str, folder: str, postgres_url: str):
    url = f"sqlite:///{folder}/fuzz.sqlite3"
    if backend == "postgresql":
        url = postgres_url
        engine = sa.create_engine(url, poolclass=sa.NullPool)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    config = {"SQLALCHEMY_DATABASE_URI": url, "PUBLIC_URL": "https://aftercue.test"}
    app = create_app({**config, "TESTING": True, "CLOCK": lambda: NOW})
    with app.app_context():
        flask_migrate.upgrade()
    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench"
    )
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-0123456789abcdef")
    logging.disable(logging.ERROR)  # a failure is reported below, with its request
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    failed = False
    print("| Backend | Examples per operation | Requests | 2xx | 4xx | 5xx | Failures | Time |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    reports = []
    for backend in backends:
        with tempfile.TemporaryDirectory() as folder:
            app = fresh_app(backend, folder, args.postgres_url)
            clinic = make_clinic(app, NOW, "Clinic A", "a.test", "Sam")
            started = time.perf_counter()
            report = fuzzing.run(app, clinic, NOW, max_examples=args.examples)
            seconds = time.perf_counter() - started
        total = Counter()
        for statuses in report.statuses.values():
            total.update(statuses)
        classes = [sum(n for s, n in total.items() if s // 100 == c) for c in (2, 4, 5)]
        print(
            f"| {backend} | {args.examples} | {report.examples} | {classes[0]} | {classes[1]} "
            f"| {classes[2]} | {len(report.failures)} | {seconds:.0f} s |"
        )
        reports.append(report)
        failed = failed or bool(report.failures)
    for report in reports:
        for label, failure in report.failures.items():
            print(f"\n## {label}\n{failure}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
