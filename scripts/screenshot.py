"""Take the README's screenshots of the client app: docs/today.png, progress.png and avoid.png.

Starts the app on a temporary database with the demo data, opens the demo client's enrollment
link in Chromium on a phone-sized screen, ticks the first cleanse and balm, and saves the Today,
Progress and Avoid screens. Needs Chromium at /usr/bin/chromium and Playwright (the `test` extras).
Run from the repository root: PYTHONPATH=. python scripts/screenshot.py
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
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}


def serve_demo(folder: Path):
    """Start the app on 127.0.0.1 with a demo client; return the server and the enroll link."""
    os.environ.setdefault("SECRET_KEY", "screenshot-secret-key-0123456789abcdef")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite3'}"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url
    with app.app_context():
        flask_migrate.upgrade()
        demo = create_demo(datetime.now(UTC), url, app.extensions["protocols"])
        db.session.commit()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, demo.enroll_url


def save(page, name: str) -> None:
    # The app focuses <main> on each screen, which scrolls the header bar out of view;
    # show the screen from the top, as after a swipe down.
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=DOCS / name)


def shoot(enroll_url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            **PHONE, timezone_id=CLIENT_ZONE, locale="en-GB", color_scheme="light"
        )
        page = context.new_page()
        page.goto(enroll_url)
        expect(page.get_by_role("status")).to_have_text("Up to date")
        for title in ("Cleanse your scalp", "Apply balm"):
            page.get_by_role("checkbox", name=title).first.check()
        # After a reload, "Up to date" means the ticks have reached the server.
        page.reload()
        expect(page.get_by_role("status")).to_have_text("Up to date")
        save(page, "today.png")
        page.get_by_role("link", name="Progress").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Progress")
        save(page, "progress.png")
        page.get_by_role("link", name="Avoid").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("What to avoid")
        save(page, "avoid.png")
        browser.close()


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        server, enroll_url = serve_demo(Path(folder))
        try:
            shoot(enroll_url)
        finally:
            server.shutdown()
    print(f"wrote today.png, progress.png and avoid.png in {DOCS}")


if __name__ == "__main__":
    main()
