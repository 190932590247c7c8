"""The client app in Chromium against the real server: enrollment, ticks, offline, two phones."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from server import rate_limits
from server.extensions import limiter

from .conftest import ZONE
from .phone import (
    BALM,
    CLEANSE,
    SAVED_ON_PHONE,
    TITLES,
    UP_TO_DATE,
    open_enrollment,
    saved,
    slot,
    store,
    sync_status,
    task,
    wait_for_outbox,
    wait_for_worker,
    wait_synced,
)

LONDON = ZoneInfo(ZONE)
CONTACT_THE_CLINIC = "Contact your clinic and ask them to send you a new link."


def local_today() -> date:
    return datetime.now(LONDON).date()


def occurrence(plan: dict, day: date, slot_name: str, task_id: str) -> dict:
    [found] = [
        o
        for o in plan["occurrences"]
        if (o["date"], o["slot"], o["task"]) == (day.isoformat(), slot_name, task_id)
    ]
    return found


def clock(instant: str) -> str:
    return datetime.fromisoformat(instant).astimezone(LONDON).strftime("%H:%M")


def test_ticks_made_offline_reach_the_server_once(live_server, page):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    assert saved(page, "token")

    morning = slot(page, "Morning")
    cleanse, balm = task(morning, CLEANSE), task(morning, BALM)
    expect(balm).to_be_disabled()
    expect(morning).to_contain_text(f"Do “{CLEANSE}” first.")
    cleanse.check()
    expect(balm).to_be_enabled()
    expect(morning).not_to_contain_text(f"Do “{CLEANSE}” first.")
    balm.check()
    wait_synced(page)

    wait_for_worker(page)
    page.context.set_offline(True)
    assert page.reload().from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(cleanse).to_be_checked()
    expect(balm).to_be_checked()

    task(slot(page, "Evening"), CLEANSE).check()
    balm.uncheck()
    wait_for_outbox(page, 2)
    expect(sync_status(page)).to_have_text(SAVED_ON_PHONE)

    page.context.set_offline(False)
    expect(sync_status(page)).to_have_text(UP_TO_DATE)
    assert store(page, "outbox") == []
    expect(task(slot(page, "Evening"), CLEANSE)).to_be_checked()
    expect(balm).not_to_be_checked()

    plan = live_server.plan(enrollment.client_id)
    today = local_today()
    am_cleanse = occurrence(plan, today, "morning", "cleanse")["id"]
    am_balm = occurrence(plan, today, "morning", "balm")["id"]
    pm_cleanse = occurrence(plan, today, "evening", "cleanse")["id"]
    stored = live_server.events(enrollment.client_id)
    on_phone = {e["id"]: (e["occurrence"], e["action"]) for e in store(page, "events")}
    # The phone's events, each stored exactly once.
    assert sorted(str(e.event_id) for e in stored) == sorted(on_phone)
    assert {str(e.event_id): (e.occurrence_id, e.action) for e in stored} == on_phone
    # The outbox is sent in id order, not tick order: the device times say which came last.
    assert sorted((e.occurrence_id, e.action) for e in stored) == sorted(
        [(am_cleanse, "done"), (am_balm, "done"), (pm_cleanse, "done"), (am_balm, "undone")]
    )
    balm_done, balm_undone = (
        next(e.device_at for e in stored if (e.occurrence_id, e.action) == (am_balm, action))
        for action in ("done", "undone")
    )
    assert balm_done < balm_undone


def test_a_second_phone_sees_the_first_ones_ticks_and_back(live_server, new_context):
    enrollment = live_server.add_client()
    phone = new_context().new_page()
    open_enrollment(phone, enrollment.url)
    task(slot(phone, "Evening"), CLEANSE).check()
    wait_synced(phone)

    tablet = new_context().new_page()
    open_enrollment(tablet, live_server.another_device(enrollment.client_id).url)
    evening = slot(tablet, "Evening")
    expect(task(evening, CLEANSE)).to_be_checked()
    expect(task(evening, BALM)).to_be_enabled()
    task(evening, BALM).check()
    wait_synced(tablet)

    phone.reload()
    expect(sync_status(phone)).to_have_text(UP_TO_DATE)
    expect(task(slot(phone, "Evening"), BALM)).to_be_checked()
    stored = live_server.events(enrollment.client_id)
    assert [e.action for e in stored] == ["done", "done"]
    assert stored[0].device_id != stored[1].device_id


@pytest.mark.parametrize("link", ["unknown", "used", "expired"])
def test_a_link_that_does_not_work_says_so(live_server, page, link):
    enrollment = live_server.add_client()
    url = {
        "unknown": f"{live_server.url}/enroll#not-a-code-anyone-was-given",
        "used": enrollment.url,
        "expired": live_server.another_device(enrollment.client_id, days_ago=8).url,
    }[link]
    if link == "used":
        response = live_server.app.test_client().post(
            "/api/v1/enroll", json={"code": enrollment.code}
        )
        assert response.status_code == 201

    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link doesn't work")
    expect(page.get_by_role("alert")).to_contain_text("used already or expired")
    expect(page.get_by_text(CONTACT_THE_CLINIC)).to_be_visible()
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()
    assert saved(page, "token") is None


def test_too_many_tries_from_one_network_asks_to_wait_and_then_enrolls(live_server, page):
    enrollment = live_server.add_client()
    guesser = live_server.app.test_client()  # the same address as the browser: 127.0.0.1
    for number in range(rate_limits.allowance(rate_limits.ENROLL_FAILURES_PER_ADDRESS)):
        assert guesser.post("/api/v1/enroll", json={"code": f"guess-{number}"}).status_code == 400

    page.goto(enrollment.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Not just now")
    expect(page.get_by_role("alert")).to_contain_text("try again by itself")
    expect(page.get_by_text(CONTACT_THE_CLINIC)).to_be_hidden()  # the link itself is fine
    assert saved(page, "token") is None
    limiter.reset()  # the window has passed
    page.reload()  # what the page does by itself after Retry-After
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")


def test_avoid_lists_what_holds_now_and_for_how_long(live_server, page):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    page.get_by_role("link", name="Avoid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What to avoid")
    expect(page.get_by_role("link", name="Avoid")).to_have_attribute("aria-current", "page")

    holding = page.locator("xpath=//main/ul[not(preceding-sibling::h2)]/li")
    # One card per date, the date said once as its heading (Good news ahead follows them).
    coming = page.locator(
        "xpath=//main/h2[.='Coming up']/following-sibling::section"
        "[not(preceding-sibling::h2[.='Good news ahead'])]"
    )
    # The session ended two days ago at 13:30, on day 1: shaving waits until day 5, the
    # shower 96 hours, until 13:30 on day 5.
    expect(holding.filter(has_text="No shaving")).to_contain_text("No shaving — 2 more days")
    expect(holding.filter(has_text="No shower water")).to_contain_text(
        re.compile(r"— until \w+ \d+ \w+, 13:30")
    )
    # Over since yesterday afternoon, 24 hours after the session.
    expect(holding.filter(has_text="Nothing on your scalp yet")).to_have_count(0)
    # The next session is the final one: a month without swimming starts then.
    swimming = coming.filter(has=page.get_by_role("listitem").filter(has_text="No swimming"))
    expect(swimming.get_by_role("heading", level=3)).to_have_text(re.compile(r"^From \w+ \d+ \w+$"))


def test_progress_shows_yesterdays_tasks_as_missed(live_server, page):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    plan = live_server.plan(enrollment.client_id)
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    due = [o for o in plan["occurrences"] if o["date"] == yesterday and not o["optional"]]
    assert due, "the fixture's plan has tasks yesterday"
    missed = ", ".join(f"{TITLES[o['task']]} ({clock(o['at'])})" for o in due)

    page.get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress")
    day = page.get_by_role("listitem").filter(has_text=f"Missed: {missed}")
    expect(day).to_have_count(1)
    expect(day).to_contain_text(f"0 done, {len(due)} missed")
    expect(day.locator(".missed")).to_have_text(f", {len(due)} missed")


def morning_heading(page, occurrence: dict):
    return slot(page, "Morning").get_by_role("heading", name=f"Morning {clock(occurrence['at'])}")


def test_settings_move_the_task_times(live_server, page):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    before = occurrence(live_server.plan(enrollment.client_id), local_today(), "morning", "cleanse")
    expect(morning_heading(page, before)).to_be_visible()

    page.get_by_role("link", name="Settings").click()
    wake = page.get_by_role("group", name="I usually get up at")
    expect(wake.get_by_label("Hour")).to_have_value("07")
    expect(wake.get_by_label("Minutes")).to_have_value("00")
    wake.get_by_label("Hour").select_option("09")
    with page.expect_response(re.compile(r"/api/v1/me/settings$")) as response:
        page.get_by_role("button", name="Save my day").click()
    assert response.value.status == 200

    after = occurrence(live_server.plan(enrollment.client_id), local_today(), "morning", "cleanse")
    assert after["id"] == before["id"]
    assert clock(after["at"]) > clock(before["at"])
    page.get_by_role("link", name="Today").click()
    expect(morning_heading(page, after)).to_be_visible()


def test_a_late_tick_on_yesterday_is_kept_with_its_device_time(live_server, page):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    evening = slot(page, "Evening", yesterday=True)
    expect(task(evening, BALM)).to_be_disabled()
    task(evening, CLEANSE).check()  # it stays in view, ticked, so it can still be undone
    expect(task(evening, BALM)).to_be_enabled()
    wait_synced(page)

    plan = live_server.plan(enrollment.client_id)
    late = occurrence(plan, local_today() - timedelta(days=1), "evening", "cleanse")
    [event] = live_server.events(enrollment.client_id)
    assert (event.occurrence_id, event.action) == (late["id"], "done")
    assert event.device_at > datetime.fromisoformat(late["due_end"])


def test_a_phone_whose_device_was_revoked_says_it_was_disconnected(live_server, page):
    # The start-up redraw after the first sync used to draw Today over the "Signed out" screen.
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    token = saved(page, "token")
    with live_server.app.test_client().delete(
        "/api/v1/me/device", headers={"Authorization": f"Bearer {token}"}
    ) as response:
        assert response.status_code == 204
    page.reload()
    expect(sync_status(page)).to_have_text("Disconnected")
    expect(page.get_by_role("heading", level=1)).to_have_text("This phone was disconnected")
    expect(page.get_by_text("ask Browser Test Clinic for a new link")).to_be_visible()
    expect(page.locator("#tabs")).to_be_hidden()
