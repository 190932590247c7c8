"""Take the README's screenshots of the clinic dashboard into docs/.

Starts the app on a temporary database with the demo clinic and its caseload (a client for
each reason to call, one on track: server/clinic/demo.py), signs in as the demo admin in
Chromium and saves the call list (desktop and phone) and one client's page. Needs Chromium
at /usr/bin/chromium and Playwright (the `test` extras).
Run from the repository root: PYTHONPATH=. python scripts/dashboard_screenshots.py
"""

from __future__ import annotations

import os
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import flask_migrate
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from server import create_app
from server.clinic.demo import CLIENT_ZONE, create_demo
from server.extensions import db

DOCS = Path(__file__).resolve().parents[1] / "docs"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
DESKTOP = {"viewport": {"width": 1280, "height": 860}, "device_scale_factor": 1}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}


def serve(folder: Path):
    """The app on 127.0.0.1 with the demo clinic; returns the server, URL and sign-in."""
    os.environ.setdefault("SECRET_KEY", "screenshot-secret-key-0123456789abcdef")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite3'}"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url
    now = datetime.now(UTC)
    with app.app_context():
        flask_migrate.upgrade()
        demo = create_demo(now, url, app.extensions["protocols"])  # with its caseload
        db.session.commit()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, url, demo


def sign_in(page, url: str, demo) -> None:
    page.goto(f"{url}/clinic/")
    page.get_by_label("Email").fill(demo.clinician_email)
    page.get_by_label("Password").fill(demo.clinician_password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")


def shoot(url: str, demo) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desktop = browser.new_context(**DESKTOP, timezone_id=CLIENT_ZONE, locale="en-GB")
        page = desktop.new_page()
        sign_in(page, url, demo)
        page.screenshot(path=DOCS / "dashboard-clients.png")
        page.get_by_role("link", name="Amira Haddad", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Amira Haddad")
        page.set_viewport_size({"width": 1280, "height": 1500})
        page.screenshot(path=DOCS / "dashboard-client.png")
        phone = browser.new_context(**PHONE, timezone_id=CLIENT_ZONE, locale="en-GB")
        small = phone.new_page()
        sign_in(small, url, demo)
        small.screenshot(path=DOCS / "dashboard-phone.png")
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        server, url, demo = serve(Path(folder))
        try:
            shoot(url, demo)
        finally:
            server.shutdown()
    for name in ("dashboard-clients.png", "dashboard-client.png", "dashboard-phone.png"):
        print(DOCS / name)


if __name__ == "__main__":
    main()
