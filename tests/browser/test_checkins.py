"""A check-in in Chromium: answered offline with a red flag, the call screen shows at once
without the network, the answers reach the server once when the phone is back online, and
the client tops the clinic's call list with the answers in words. One answered offline with a
photo: both arrive once, the photo naming the check-in, and the clinic's page links it; a
photo added to a check-in left unanswered goes on its own."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.models import CheckinAnswer, Client, Photo
from server.phone.enrollment import enroll_url, issue_code
from tests.support.images import phone_jpeg

from .accessibility import WIDTHS, assert_accessible
from .conftest import WAIT_MS
from .desk import morning_clinic, row, sign_in
from .phone import eventually, open_enrollment, saved, slot, store, wait_for_worker

CLINIC_PHONE = "+44 20 7946 0000"
TITLE = "How is your scalp today?"


def enroll_leo(live_server) -> tuple[str, int, str]:
    """The morning clinic (Amira missed tasks, Leo did all), with a phone number; Leo's link."""
    email, ids, _ = morning_clinic(live_server)
    with live_server.app.app_context():
        leo = db.session.get(Client, ids["Leo Santos"])
        leo.clinic.phone = CLINIC_PHONE
        code = issue_code(leo, datetime.now(UTC))
        db.session.commit()
    return email, ids["Leo Santos"], enroll_url(live_server.url, code)


def stored_checkins(live_server, client_id: int) -> list[CheckinAnswer]:
    with live_server.app.app_context():
        rows = db.session.scalars(
            select(CheckinAnswer).where(CheckinAnswer.client_id == client_id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def wait_until_sent(page: Page) -> None:
    """Wait until the phone has the server's word that its one check-in is stored."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        kept = saved(page, "checkins") or [{}]
        if all(checkin.get("sent") for checkin in kept):
            return
        assert time.monotonic() < deadline, f"check-ins still unsent: {kept}"
        page.wait_for_timeout(50)


def answer(page: Page, question: str, label: str) -> None:
    page.get_by_role("group", name=question).get_by_label(label, exact=True).check()


def test_an_offline_red_flag_shows_the_call_screen_and_tops_the_list(live_server, new_context):
    email, leo, url = enroll_leo(live_server)
    page = new_context(viewport=WIDTHS["phone"], has_touch=True, is_mobile=True).new_page()
    open_enrollment(page, url)
    wait_for_worker(page)
    page.context.set_offline(True)
    assert page.reload().from_service_worker

    evening = slot(page, "Evening")
    expect(evening).to_contain_text(f"{TITLE}To answer")
    evening.get_by_role("button", name=re.compile(rf"^Answer\W+{re.escape(TITLE)}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page, "the check-in's questions")
    # Every answer is a large target: the whole labelled row, at least 44 px high.
    for label in page.locator("form label.choice").all():
        assert label.bounding_box()["height"] >= 44
    answer(page, "How is the redness?", "About the same")
    answer(page, "Is the treated area swollen?", "No")
    answer(page, "Is anything coming from the skin?", "Yellow or green pus")
    answer(page, "How much does it hurt, from 0 (not at all) to 10 (the worst)?", "3")
    answer(page, "Do you have a fever or chills?", "No")
    answer(page, "Does it itch?", "Yes")
    page.get_by_role("button", name="Send").click()

    # Offline still: the phone decided the red flag itself.
    expect(page.get_by_role("heading", level=1)).to_have_text("Call your clinic now")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Pus from the treated area")
    expect(alert.get_by_role("link")).to_have_attribute("href", "tel:+442079460000")
    expect(alert).to_contain_text("keep the area clean and dry")
    assert_accessible(page, "the call screen")
    [kept] = saved(page, "checkins")
    assert kept["red_flags"] == ["pus"] and not kept["sent"]
    assert stored_checkins(live_server, leo) == []

    page.context.set_offline(False)
    wait_until_sent(page)
    page.reload()  # another sync: nothing is sent twice
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    evening = slot(page, "Evening")
    expect(evening).to_contain_text("Answered: call your clinic")
    evening.get_by_role("button", name="How to reach your clinic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Call your clinic now")
    [stored] = stored_checkins(live_server, leo)
    assert str(stored.checkin_id) == kept["id"] and stored.red_flags == ["pus"]
    assert stored.answers["oozing"] == "pus" and stored.answers["pain"] == 3

    page.get_by_role("button", name="Back to Today").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(slot(page, "Evening")).to_contain_text("Answered: call your clinic")

    desk = new_context().new_page()
    sign_in(desk, live_server.url, email)
    first = desk.get_by_role("row").nth(1)  # the header row is the first
    expect(first).to_contain_text("Leo Santos")
    expect(first).to_contain_text("Red flag in the check-in of day 4")
    expect(first).to_contain_text("Is anything coming from the skin? Yellow or green pus")
    expect(row(desk, "Amira Haddad")).to_contain_text("Missed “")

    # His page charts the check-in: one bar, the red-flag day marked, the same in a table.
    first.get_by_role("link", name="Leo Santos", exact=True).click()
    chart = desk.get_by_role("img", name=re.compile("^Check-ins by day"))
    expect(chart).to_have_count(1)
    expect(desk.locator("table.checkin-days tbody tr")).to_have_count(1)
    expect(desk.locator("table.checkin-days")).to_contain_text("1 red flag")
    assert_accessible(desk, "a client's page with a check-in chart")


def stored_photos(live_server, client_id: int) -> list[Photo]:
    with live_server.app.app_context():
        rows = db.session.scalars(select(Photo).where(Photo.client_id == client_id)).all()
        db.session.expunge_all()
        return list(rows)


def test_a_check_in_answered_offline_with_a_photo_arrives_with_it(
    live_server, new_context, tmp_path
):
    email, leo, url = enroll_leo(live_server)
    fixture = tmp_path / "scalp.jpg"
    fixture.write_bytes(phone_jpeg(2400, 1800))
    page = new_context(viewport=WIDTHS["phone"], has_touch=True, is_mobile=True).new_page()
    open_enrollment(page, url)
    wait_for_worker(page)
    page.context.set_offline(True)
    assert page.reload().from_service_worker

    evening = slot(page, "Evening")
    evening.get_by_role("button", name=re.compile(rf"^Answer\W+{re.escape(TITLE)}$")).click()
    answer(page, "How is the redness?", "About the same")
    answer(page, "Is the treated area swollen?", "No")
    page.locator("#checkin-photo-input").set_input_files(str(fixture))
    expect(page.locator("form.checkin-form").get_by_role("status")).to_have_text(
        "Photo added: it is sent with your answers."
    )
    # The form was drawn again with the photo: the answers given before it are still there.
    group = page.get_by_role("group", name="How is the redness?")
    expect(group.get_by_label("About the same", exact=True)).to_be_checked()
    assert_accessible(page, "the check-in with a photo added")
    [held] = store(page, "photos")
    assert held["state"] == "held"  # not uploaded before the answers are sent
    answer(page, "Is anything coming from the skin?", "Nothing")
    answer(page, "How much does it hurt, from 0 (not at all) to 10 (the worst)?", "2")
    answer(page, "Do you have a fever or chills?", "No")
    answer(page, "Does it itch?", "Yes")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(slot(page, "Evening")).to_contain_text("Answered")
    [kept] = saved(page, "checkins")
    [photo] = store(page, "photos")
    assert photo["check_in_id"] == kept["id"] and photo["state"] == "waiting"
    assert stored_checkins(live_server, leo) == [] and stored_photos(live_server, leo) == []

    page.context.set_offline(False)
    wait_until_sent(page)
    eventually(page, lambda: store(page, "photos")[0]["state"] == "uploaded", "the photo sent")
    page.reload()  # another sync: nothing is sent twice
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    [checkin] = stored_checkins(live_server, leo)
    [stored] = stored_photos(live_server, leo)
    assert str(checkin.checkin_id) == kept["id"] and str(stored.photo_id) == photo["id"]
    assert stored.check_in_id == kept["id"]

    desk = new_context().new_page()
    sign_in(desk, live_server.url, email)
    desk.goto(f"{live_server.url}/clinic/clients/{leo}")
    days = desk.locator("table.checkin-days tbody tr")
    expect(days).to_have_count(1)
    link = days.get_by_role("link", name="Photo of the check-in")
    expect(link).to_have_attribute("href", f"/clinic/clients/{leo}/photos/{photo['id']}")
    assert_accessible(desk, "a client's page with a check-in's photo")


def test_a_photo_added_to_a_check_in_left_unanswered_is_kept_on_its_own(
    live_server, new_context, tmp_path
):
    _, leo, url = enroll_leo(live_server)
    fixture = tmp_path / "scalp.jpg"
    fixture.write_bytes(phone_jpeg(800, 600))
    page = new_context(viewport=WIDTHS["phone"]).new_page()
    open_enrollment(page, url)
    evening = slot(page, "Evening")
    evening.get_by_role("button", name=re.compile(rf"^Answer\W+{re.escape(TITLE)}$")).click()
    page.locator("#checkin-photo-input").set_input_files(str(fixture))
    expect(page.locator("form.checkin-form").get_by_role("status")).not_to_be_empty()
    page.get_by_role("button", name="Not now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    eventually(page, lambda: store(page, "photos")[0]["state"] == "uploaded", "the photo sent")
    [photo] = store(page, "photos")
    assert photo["check_in_id"] is None and saved(page, "checkins") in (None, [])
    [stored] = stored_photos(live_server, leo)
    assert str(stored.photo_id) == photo["id"] and stored.check_in_id is None
