"""Browser tests: the real app on a loopback port, driven by Debian's Chromium through Playwright.

One server and one Chromium serve the whole session; each test gets a fresh browser context,
which has its own service workers, caches and IndexedDB, like a phone of its own.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import flask_migrate
import pytest
from flask import Flask, got_request_exception
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from server import config, create_app
from server.extensions import db, limiter
from server.models import AdherenceEvent, Client, Clinic, Device
from server.phone.devices import disconnect, hash_token
from server.phone.enrollment import enroll_url, issue_code
from tests.conftest import TEST_VAPID_KEY
from tests.support.factories import new_client, with_plan
from tests.support.protocol_edits import copy_shipped

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ZONE = "Europe/London"
# Sessions placed as the demo places them, at local clock times in the client's zone. One that
# ended two days ago puts today on day 3 of healing: cleanse and balm, and no shaving for 2 more
# days; the final one is 12 days away.
SESSION_DAYS = (-2, 12)
SESSION_HOURS = (time(9, 0), time(13, 30))
WAIT_MS = 5000  # the longest any single step may take

expect.set_options(timeout=WAIT_MS)


class QuietHandler(WSGIRequestHandler):
    """Requests are not logged: a failing test shows the browser's side instead."""

    def log_request(self, *args, **kwargs) -> None:
        pass


def buffered(app: Flask):
    """The app with each response body read (and its file closed) before it is sent.

    When a browser drops a connection mid-file (a context closed while its service worker
    was still precaching), werkzeug's development server can leave the file unclosed, and
    the ResourceWarning would fail whichever test runs next.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@dataclass
class Enrollment:
    client_id: int
    code: str
    url: str


@dataclass
class LiveServer:
    app: Flask
    url: str
    errors: list[BaseException]
    protocols: Path  # the server's copy of the shipped protocols, which a test may edit

    def add_client(
        self,
        name: str = "Browser client",
        clinic: str = "Browser Test Clinic",
        protocol: str = "scalp-nation",
        answers: dict[str, str] | None = None,
        sessions: list[tuple[datetime, datetime]] | None = None,
        language: str | None = None,
    ) -> Enrollment:
        """A client with sessions around the real current time (or `sessions`, UTC start and
        end), a plan (in `language`: None is the protocol's own) and one unused code."""
        now = datetime.now(UTC)
        zone = ZoneInfo(ZONE)
        today = now.astimezone(zone).date()
        with self.app.app_context():
            # Local clock times first, then UTC, as the demo places them.
            sessions = sessions or [
                tuple(
                    datetime.combine(today + timedelta(days=offset), hour, tzinfo=zone).astimezone(
                        UTC
                    )
                    for hour in SESSION_HOURS
                )
                for offset in SESSION_DAYS
            ]
            client = new_client(
                clinic=Clinic(name=clinic, created_at=now),
                name=name,
                zone=ZONE,
                created_at=now,
                protocol=protocol,
                answers=answers,
                sessions=sessions,
            )
            client.language = language
            with_plan(client, self.app.extensions["protocols"], now)
            code = issue_code(client, now)
            db.session.commit()
            return Enrollment(client.id, code, enroll_url(self.url, code))

    def plan(self, client_id: int) -> dict:
        """The client's current plan, as the app receives it."""
        with self.app.app_context():
            return db.session.get(Client, client_id).plan.content

    def events(self, client_id: int) -> list[AdherenceEvent]:
        """Every event the server stored for the client, as the clinic's event log has them."""
        with self.app.app_context():
            rows = db.session.scalars(
                select(AdherenceEvent)
                .where(AdherenceEvent.client_id == client_id)
                .order_by(AdherenceEvent.seq)
            ).all()
            db.session.expunge_all()
            return list(rows)

    def device(self, token: str) -> Device | None:
        """The device a phone's token signs in, whether still connected or not."""
        with self.app.app_context():
            device = db.session.scalar(select(Device).where(Device.token_hash == hash_token(token)))
            db.session.expunge_all()
            return device

    def revoke(self, token: str) -> None:
        """The clinic disconnects the phone holding `token`, as its client page does."""
        with self.app.app_context():
            device = db.session.scalar(select(Device).where(Device.token_hash == hash_token(token)))
            assert disconnect(device, datetime.now(UTC))
            db.session.commit()

    def another_device(self, client_id: int, days_ago: int = 0) -> Enrollment:
        """Another enrollment code for the same client, issued `days_ago`: a link for a phone."""
        issued = datetime.now(UTC) - timedelta(days=days_ago)
        with self.app.app_context():
            code = issue_code(db.session.get(Client, client_id), issued)
            db.session.commit()
        return Enrollment(client_id, code, enroll_url(self.url, code))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app on a migrated temporary SQLite file, served on 127.0.0.1 in a thread, with
    a copy of the shipped protocols it checks for changes every second."""
    folder = tmp_path_factory.mktemp("live")
    database = folder / "aftercue.sqlite3"
    protocols = copy_shipped(folder / "protocols")
    with pytest.MonkeyPatch.context() as env:
        for name in config.VARIABLES:
            env.delenv(name, raising=False)
        env.setenv("SECRET_KEY", "browser-test-secret-key-0123456789abcdef")
        env.setenv("VAPID_PRIVATE_KEY", TEST_VAPID_KEY)
        env.setenv("PROTOCOLS_DIR", str(protocols))
        env.setenv("PROTOCOLS_RECHECK_SECONDS", "1")
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        flask_migrate.upgrade()
    server = make_server("127.0.0.1", 0, buffered(app), threaded=True, request_handler=QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url
    errors: list[BaseException] = []

    def record(_sender, exception, **_extra):
        errors.append(exception)

    got_request_exception.connect(record, app)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(app, url, errors, protocols)
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def no_server_errors(request):
    """Fail a test during which the app raised an unhandled exception (a 500)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("live_server")
    server.errors.clear()
    yield
    assert not server.errors, f"the app raised: {server.errors!r}"


@pytest.fixture(autouse=True)
def fresh_rate_limits(request):
    """Each test starts with no requests counted: the whole session comes from 127.0.0.1."""
    if "live_server" in request.fixturenames:
        limiter.reset()


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright):
    """Debian's Chromium, headless; Playwright's own browser download can't work here."""
    if not CHROMIUM.exists():
        # CI installs it (.ci/run): there a missing browser fails instead of skipping.
        if os.environ.get("CI"):
            pytest.fail("Debian chromium not installed (apt-get install -y chromium)")
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def new_context(browser):
    """Make a fresh context (another phone); all are closed after the test.

    The client's zone is the browser's, as on a phone at home: the app draws days in the
    plan's zone, but stamps ticks with the device's clock and offset.
    """
    contexts, uncaught = [], []

    def make(**options):
        options = {"timezone_id": ZONE, "locale": "en-GB", "service_workers": "allow", **options}
        context = browser.new_context(**options)
        context.set_default_timeout(WAIT_MS)
        context.on("weberror", lambda error: uncaught.append(error.error))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not uncaught, f"uncaught errors in the page: {uncaught!r}"


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()
