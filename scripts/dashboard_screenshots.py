"""Take the README's screenshots of the clinic dashboard into docs/.

Starts the app on a temporary database with a demo clinic of clients in different states
(one who missed days 1 to 4, one silent for days, one booked too soon, some on track), signs
in as the demo admin in Chromium and saves the client list (desktop and phone) and one
client's page. Needs Chromium at /usr/bin/chromium and Playwright (the `test` extras).
Run from the repository root: PYTHONPATH=. python scripts/dashboard_screenshots.py
"""

from __future__ import annotations

import os
import tempfile
import threading
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from uuid import uuid4
from zoneinfo import ZoneInfo

import flask_migrate
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from server import create_app
from server.clinic.demo import CLIENT_ZONE, create_demo
from server.extensions import db
from server.models import AdherenceEvent, Client, PlanOccurrence, TreatmentSession
from server.phone.devices import issue_device
from server.plans.store import rebuild

DOCS = Path(__file__).resolve().parents[1] / "docs"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
DESKTOP = {"viewport": {"width": 1280, "height": 860}, "device_scale_factor": 1}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}

# name, protocol, session days from today, share of due tasks ticked, hours since last sync
CLIENTS = [
    ("Amir Haddad", "scalp-nation", (-2, 19), 0.0, 2),
    ("Ben Carter", "scalp-nation", (-3, 18), 1.0, 1),
    ("Chris Okafor", "smp-layering", (-12, -2), 0.8, 5),
    ("Dan Novak", "scalp-nation", (-6, 15), 0.7, 75),
    ("Eli Brooks", "scalp-nation", (5,), 0.0, None),
    ("Femi Adeyemi", "scalp-nation", (-1, 20), 0.5, 3),
    ("Gareth Lewis", "seven-derma", (-20, -9), 0.95, 20),
]


def add_client(clinic, now, registry, name, protocol, session_days, share, synced_hours_ago):
    """A client with sessions at 09:00 local, ticks on `share` of due tasks, and a phone."""
    zone = ZoneInfo(CLIENT_ZONE)
    today = now.astimezone(zone).date()
    client = Client(
        clinic=clinic,
        name=name,
        contact=f"{name.split()[0].lower()}@example.com",
        timezone=CLIENT_ZONE,
        protocol_id=protocol,
        answers={"hair_length": "shaved"},
        created_at=now - timedelta(days=30),
    )
    for offset in session_days:
        day = today + timedelta(days=offset)
        start = datetime.combine(day, time(9, 0), tzinfo=zone).astimezone(UTC)
        client.sessions.append(
            TreatmentSession(starts_at=start, ends_at=start + timedelta(hours=4))
        )
    db.session.add(client)
    db.session.flush()
    rebuild(client, registry, now)
    if synced_hours_ago is None:
        return
    device, _ = issue_device(client.id, "iPhone", now - timedelta(days=10))
    device.last_seen_at = now - timedelta(hours=synced_hours_ago)
    due = db.session.scalars(
        select(PlanOccurrence)
        .where(PlanOccurrence.client_id == client.id, PlanOccurrence.due_end <= device.last_seen_at)
        .order_by(PlanOccurrence.due_start)
    ).all()
    ticked = [o for number, o in enumerate(due) if (number * share) % 1 + share >= 1]
    for seq, occurrence in enumerate(ticked, start=1):
        at = occurrence.due_start + timedelta(minutes=20)
        db.session.add(
            AdherenceEvent(
                client_id=client.id,
                seq=seq,
                event_id=uuid4(),
                occurrence_id=occurrence.occurrence_id,
                action="done",
                device_at=at,
                device_utc_offset_minutes=int(
                    at.astimezone(zone).utcoffset().total_seconds() // 60
                ),
                received_at=at + timedelta(minutes=2),
                device_id=device.id,
            )
        )
    client.event_seq = len(ticked)


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
        demo = create_demo(now, url, app.extensions["protocols"])
        db.session.commit()
        clinic = db.session.get(Client, demo.client_id).clinic
        for spec in CLIENTS:
            add_client(clinic, now, app.extensions["protocols"], *spec)
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
        page.get_by_role("link", name="Amir Haddad").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Amir Haddad")
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
