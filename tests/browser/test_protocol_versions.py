"""A protocol correction that reaches a client already following it: the clinic lengthens a
ban in the protocol file on disk, the running server picks it up, an admin moves one client to
the new version from the dashboard, and the client's phone shows the new plan, ticks kept."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import Client, Clinician
from tests.support.protocol_edits import lengthen, shipped_version

from .accessibility import assert_accessible
from .phone import BALM, CLEANSE, come_back_to, open_enrollment, slot, task, wait_synced

PASSWORD = "versions admin password"
WAIT_FOR_RELOAD_MS = 15_000  # the server checks every second; a busy machine may lag


@pytest.fixture
def scalp_nation(live_server):
    """The live server's Scalp Nation file, restored (and re-read) after the test."""
    path = live_server.protocols / "scalp-nation.toml"
    original = path.read_text(encoding="utf-8")
    yield path
    path.write_text(original, encoding="utf-8")
    live_server.app.extensions["protocols"].refresh(force=True)


def until(page, check, act, what: str) -> None:
    """Do `act` until `check()` holds, a quarter second between tries; fail after a while."""
    deadline = time.monotonic() + WAIT_FOR_RELOAD_MS / 1000
    act()
    while not check():
        assert time.monotonic() < deadline, f"never happened: {what}"
        page.wait_for_timeout(250)
        act()


def an_admin_of(live_server, client_id: int) -> str:
    with live_server.app.app_context():
        clinic_id = db.session.get(Client, client_id).clinic_id
        email = f"versions{client_id}@browser.test"
        person = Clinician(clinic_id=clinic_id, email=email, name="Versions Admin", role="admin")
        person.set_password(PASSWORD)
        db.session.add(person)
        db.session.commit()
    return email


def test_an_admin_moves_a_client_to_a_corrected_protocol_and_the_phone_follows(
    live_server, new_context, scalp_nation
):
    enrollment = live_server.add_client(name="Nadia Karim")
    email = an_admin_of(live_server, enrollment.client_id)
    phone = new_context().new_page()
    open_enrollment(phone, enrollment.url)
    morning = slot(phone, "Morning")
    task(morning, CLEANSE).check()
    task(morning, BALM).check()
    wait_synced(phone)
    phone.get_by_role("link", name="Avoid").click()
    holding = phone.locator("xpath=//main/ul[not(preceding-sibling::h2)]/li")
    expect(holding.filter(has_text="No shaving")).to_contain_text("No shaving — 2 more days")

    # The clinic corrects its file: shaving waits two days longer.
    lengthen(scalp_nation, "no-shaving", 2, "2099.1")

    desk = new_context().new_page()
    desk.goto(f"{live_server.url}/clinic/")
    desk.get_by_label("Email").fill(email)
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Clients")
    # The server looks at the file again within a second of a request: reload until it has.
    version = desk.locator("#protocol-version")
    until(
        desk,
        lambda: "newer version 2099.1 available" in version.inner_text(),
        lambda: desk.goto(f"{live_server.url}/clinic/clients/{enrollment.client_id}"),
        "the client's page offers the corrected version",
    )
    expect(version).to_contain_text(
        f"version {shipped_version('scalp-nation')} — newer version 2099.1 available"
    )
    desk.get_by_role("link", name="Protocols").click()
    section = desk.locator("#protocol-scalp-nation")
    expect(section.locator(".newest")).to_contain_text("Newest version: 2099.1")
    assert_accessible(desk, "the protocols page with a client to move")
    section.get_by_role("checkbox", name="Nadia Karim").check()
    section.get_by_role("button", name="Move chosen clients to version 2099.1").click()
    expect(desk.get_by_role("status")).to_contain_text("Moved 1 client to the newest version.")
    desk.goto(f"{live_server.url}/clinic/clients/{enrollment.client_id}")
    expect(desk.locator("#protocol-version")).to_have_text("Scalp Nation aftercare, version 2099.1")

    # The phone fetches the new plan when the client comes back to the app.
    come_back_to(phone)
    expect(holding.filter(has_text="No shaving")).to_contain_text(
        "No shaving — 4 more days", timeout=WAIT_FOR_RELOAD_MS
    )
    phone.get_by_role("link", name="Today").click()
    expect(task(slot(phone, "Morning"), CLEANSE)).to_be_checked()
    expect(task(slot(phone, "Morning"), BALM)).to_be_checked()
    on_plan = {o["id"] for o in live_server.plan(enrollment.client_id)["occurrences"]}
    ticked = {e.occurrence_id for e in live_server.events(enrollment.client_id)}
    assert len(ticked) == 2 and ticked <= on_plan
