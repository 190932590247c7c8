"""Settings, "Your data": the client downloads everything and asks their clinic to delete it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from server.extensions import db
from server.models import Client

from .conftest import ZONE
from .phone import CLEANSE, open_enrollment, slot, task, wait_synced

ASK = "Ask my clinic to delete my data"
CONFIRM = "Yes, ask my clinic to delete my data"
LONDON = ZoneInfo(ZONE)


def deletion_requested_at(live_server, client_id):
    with live_server.app.app_context():
        return db.session.get(Client, client_id).deletion_requested_at


def day_in_zone(moment: datetime) -> str:
    """ "20 March 2026": the date the app shows, in the plan's zone."""
    local = moment.astimezone(LONDON)
    return f"{local.day} {local.strftime('%B %Y')}"


def open_settings(live_server, page):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    return enrollment


def test_download_saves_a_json_file_with_the_client_s_ticks(live_server, page):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    task(slot(page, "Morning"), CLEANSE).check()
    wait_synced(page)
    page.get_by_role("link", name="Settings").click()

    with page.expect_download() as started:
        page.get_by_role("button", name="Download my data").click()
    download = started.value

    today = datetime.now(LONDON).date().isoformat()  # the phone's own date
    assert download.suggested_filename == f"aftercue-my-data-{today}.json"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    stored = live_server.events(enrollment.client_id)
    assert len(stored) == 1
    assert [(e["event_id"], e["occurrence_id"], e["action"]) for e in data["adherence_events"]] == [
        (str(e.event_id), e.occurrence_id, e.action) for e in stored
    ]
    assert data["client"]["id"] == enrollment.client_id
    assert data["plan"]["content"] == live_server.plan(enrollment.client_id)
    expect(page.get_by_text("Your data is downloaded")).to_be_visible()


def test_asking_for_deletion_is_confirmed_stored_and_shown(live_server, page):
    enrollment = open_settings(live_server, page)

    page.get_by_role("button", name=ASK).click()
    expect(page.get_by_text("They will do it within 30 days")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("button", name=CONFIRM)).to_have_count(0)
    assert deletion_requested_at(live_server, enrollment.client_id) is None

    page.get_by_role("button", name=ASK).click()
    with page.expect_response("**/api/v1/me/deletion-request") as response:
        page.get_by_role("button", name=CONFIRM).click()
    assert response.value.status == 200
    requested = deletion_requested_at(live_server, enrollment.client_id)
    assert requested is not None
    asked = page.locator("#deletion-asked")
    expect(asked).to_contain_text(
        f"You asked your clinic to delete your data on {day_in_zone(requested)}."
    )
    expect(page.get_by_role("button", name=ASK)).to_have_count(0)

    page.reload()  # remembered on the phone
    expect(page.locator("#deletion-asked")).to_contain_text(day_in_zone(requested))


def test_offline_the_buttons_say_so_and_nothing_is_sent(live_server, page):
    enrollment = open_settings(live_server, page)
    page.context.set_offline(True)

    page.get_by_role("button", name="Download my data").click()
    expect(page.get_by_role("alert")).to_have_text(
        "You're offline. Connect to the internet to download your data."
    )
    page.get_by_role("button", name=ASK).click()
    page.get_by_role("button", name=CONFIRM).click()
    expect(page.get_by_role("alert")).to_have_text(
        "You're offline. Connect to the internet to ask your clinic."
    )
    assert deletion_requested_at(live_server, enrollment.client_id) is None

    page.context.set_offline(False)
    page.get_by_role("button", name=CONFIRM).click()
    expect(page.locator("#deletion-asked")).to_be_visible()
    assert deletion_requested_at(live_server, enrollment.client_id) is not None
