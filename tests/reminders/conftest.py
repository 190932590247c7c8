"""Fixtures for reminder tests: a movable clock shared by the app and the loopback push service.

The default moment is day 3 of a Scalp Nation client in London (session on 17 March 2026,
before the clocks change), at 07:30 when the morning reminder is due.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from server import create_app
from server.extensions import MIGRATIONS_DIR, db
from server.reminders import delivery
from server.reminders.courier import make_courier
from tests.conftest import TEST_DATABASE_URL
from tests.push_service import PushService

from .people import Person, enroll

SESSION = datetime(2026, 3, 17, 10, 0, tzinfo=UTC)
MORNING = "2026-03-19|morning"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite database to copy: migrating takes most of a short test's time."""
    path = tmp_path_factory.mktemp("migrated") / "template.sqlite3"
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("SECRET_KEY", "test-secret-key-0123456789abcdef")
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
        with app.app_context():
            flask_migrate.upgrade()
            db.engine.dispose()  # the last connection to close checkpoints the WAL into the file
    return path


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not TEST_DATABASE_URL, reason="TEST_DATABASE_URL not set"),
        ),
    ]
)
def database_url(request, tmp_path):
    """As tests/conftest.py's, but emptied rather than migrated again when already at head."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    engine = request.getfixturevalue("postgresql_engine")
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    with engine.begin() as connection:
        migrated = connection.scalar(sa.text("SELECT to_regclass('public.alembic_version')"))
        version = migrated and connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
        if version == head:
            tables = sa.inspect(connection).get_table_names()
            names = ", ".join(f'"{name}"' for name in tables if name != "alembic_version")
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    return engine.url.render_as_string(hide_password=False)


class Clock:
    """The app's CLOCK, moved by tests; the push service judges VAPID and TTL by it too."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def timestamp(self) -> float:
        return self.at.timestamp()


@pytest.fixture
def now():
    """Day 3, 07:30 in London: the morning reminder's time."""
    return datetime(2026, 3, 19, 7, 30, tzinfo=UTC)


@pytest.fixture
def clock(app, now) -> Clock:
    clock = Clock(now)
    app.config["CLOCK"] = clock
    return clock


@pytest.fixture
def push_service(app, clock):
    """The loopback push service, on the app's allow-list as a test origin."""
    with PushService(clock=clock.timestamp) as service:
        app.config["PUSH_TEST_ORIGINS"] = (service.origin,)
        yield service


@pytest.fixture
def courier(app, push_service):
    courier = make_courier(app.config)
    yield courier
    courier.sender.close()


@pytest.fixture
def send_due(app, clock, courier):
    """One worker pass at the clock's time, or at `at` (which moves the clock there)."""

    def run(at: datetime | None = None, worker: str = "w1") -> dict[str, int]:
        if at is not None:
            clock.at = at
        with app.app_context():
            return delivery.send_due(courier, clock.at, worker)

    return run


@pytest.fixture
def http(app):
    return app.test_client()


@pytest.fixture
def person(app, now) -> Person:
    """A Scalp Nation client in London, on day 3 of their session, with two phones."""
    return enroll(app, now, SESSION, devices=2)
