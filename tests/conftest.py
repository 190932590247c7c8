"""Fixtures: app -> client -> runner, over every database backend; and how the suite runs.

`-m "not slow"` leaves out the browser, chaos and fuzzing tests and the big property tests:
the quick loop while working. CI runs everything, on both databases, and gives each browser
test one retry, printed as FLAKY so a flake never passes unseen.
"""

import os
from datetime import UTC, datetime

import flask_migrate
import pytest
import redis
import sqlalchemy as sa
from argon2 import PasswordHasher

from server import config, create_app
from server.extensions import db
from tests.support.clinics import Browser, World, make_clinic
from tests.support.databases import emptied_postgresql, migrated_sqlite, sqlite_copy
from tests.support.redis_server import own_redis

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# A fixed test key, so no test writes a generated one into the instance folder.
TEST_VAPID_KEY = "IQ9Ur0ykXoHS9gzfYX0aBjy9lvdrjx_PFUXmie9YRcY"
os.environ.setdefault("VAPID_PRIVATE_KEY", TEST_VAPID_KEY)


@pytest.fixture(scope="session")
def postgresql_engine():
    """An engine on the PostgreSQL test database, used to wipe it between tests."""
    engine = sa.create_engine(config.database_url(TEST_DATABASE_URL), poolclass=sa.NullPool)
    yield engine
    engine.dispose()


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
    """An empty database at the newest migration (support/databases.py says how); override
    with indirect parametrize to pick one backend."""
    if request.param == "sqlite":
        return sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path / "test.sqlite3")
    return emptied_postgresql(request.getfixturevalue("postgresql_engine"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite file that each test's database is copied from."""
    with pytest.MonkeyPatch.context() as environment:
        for name in config.VARIABLES:
            environment.delenv(name, raising=False)
        environment.setenv("SECRET_KEY", "test-secret-key-0123456789abcdef")
        environment.setenv("VAPID_PRIVATE_KEY", TEST_VAPID_KEY)
        return migrated_sqlite(tmp_path_factory.mktemp("migrated") / "template.sqlite3")


@pytest.fixture(scope="session")
def redis_server():
    with own_redis() as url:
        yield url


@pytest.fixture
def redis_url(redis_server):
    """An empty Redis database for limits shared between processes (support/redis_server.py)."""
    if redis_server is None:
        if os.environ.get("CI"):  # CI installs redis-server: there a missing one is a failure
            pytest.fail("no redis-server to start, and TEST_REDIS_URL is not set")
        pytest.skip("no redis-server to start (apt-get install redis-server)")
    connection = redis.Redis.from_url(redis_server)
    connection.flushdb()
    yield redis_server
    connection.flushdb()
    connection.close()


@pytest.fixture
def app(database_url, monkeypatch, now):
    """The app on a migrated database, isolated from the developer's environment."""
    for name in config.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    # Given here, not in test_config, so no key file is written to the instance folder.
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-0123456789abcdef")
    monkeypatch.setenv("VAPID_PRIVATE_KEY", TEST_VAPID_KEY)
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PUBLIC_URL": "https://aftercue.test",
            # Views read the time through server.clock; tests see the `now` fixture's moment.
            "CLOCK": lambda: now,
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def make_app(app, monkeypatch, now):
    """Make another app on the test database, with some environment variables set."""
    # Flask-Limiter's limiter is one per process: the newest app's storage counts for all.
    made = []

    def make(**environ):
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        database = app.config["SQLALCHEMY_DATABASE_URI"]
        made.append(
            create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database, "CLOCK": lambda: now})
        )
        return made[-1]

    yield make
    for each in made:
        with each.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def now():
    """A fixed moment; 12 days on is past the UK's 2026 spring clock change (29 March)."""
    return datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def world(app, now, monkeypatch):
    """Clinics A and B, each with a clinician, an admin and a client with a plan and a phone."""
    # Argon2 at its cheapest: tests sign in often, and the hash's strength is not under test.
    monkeypatch.setattr(
        "server.models.clinic.password_hasher",
        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )
    return World(
        a=make_clinic(app, now, "Clinic A", "a.test", "Sam"),
        b=make_clinic(app, now, "Clinic B", "b.test", "Kim"),
    )


@pytest.fixture
def browser(app):
    """Make a new browser (its own cookies) for the clinic API."""
    return lambda: Browser(app.test_client())


@pytest.fixture
def clinician(world, browser):
    """A browser signed in as clinic A's clinician."""
    signed_in = browser()
    assert signed_in.sign_in(world.a.clinician).status_code == 200
    return signed_in


# Folders whose every test is slow; elsewhere a module says so with `pytestmark`.
SLOW_FOLDERS = {"browser", "chaos"}
# A browser test that fails on a loaded CI machine runs once more (Playwright's convention);
# every retry is printed as FLAKY, so it costs no submission but is never hidden.
BROWSER_RETRIES = 1 if os.environ.get("CI") else 0
RETRIED: set[str] = set()


def pytest_collection_modifyitems(items):
    for item in items:
        folder = item.path.parent.name
        if folder in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)
        if folder == "browser" and BROWSER_RETRIES:
            item.add_marker(pytest.mark.flaky(reruns=BROWSER_RETRIES))


def pytest_runtest_logreport(report):
    if report.outcome == "rerun":
        RETRIED.add(report.nodeid)


def pytest_terminal_summary(terminalreporter):
    if not RETRIED:
        return
    passed = {report.nodeid for report in terminalreporter.stats.get("passed", [])}
    terminalreporter.section("flaky tests")
    for nodeid in sorted(RETRIED):
        outcome = "passed when retried" if nodeid in passed else "failed again when retried"
        terminalreporter.write_line(f"FLAKY {nodeid}: failed once, {outcome}", yellow=True)
