"""Regressions: app bugs the browser tests found, each pinned by the test that showed it."""

from __future__ import annotations

from playwright.sync_api import expect

from .phone import CLEANSE, UP_TO_DATE, open_enrollment, set_time, slot, sync_status, task


def test_saving_the_day_says_it_was_saved(live_server, page):
    # saveDay used to re-render Settings before returning its message, which then went into
    # the old form, no longer on the page.
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    page.get_by_role("link", name="Settings").click()
    set_time(page.get_by_role("group", name="I usually get up at"), "09", "00")
    page.get_by_role("button", name="Save my day").click()
    expect(page.get_by_text("Saved. Your task times have moved.")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)


def test_opening_the_link_again_on_the_same_phone_keeps_the_plan(live_server, page):
    # A client taps the link in the clinic's message a second time: the code is used up, but
    # the phone is signed in and has its plan, so it carries on.
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    page.goto(enrollment.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(sync_status(page)).to_have_text("Up to date")


def test_the_sync_status_stays_on_screen(live_server, page):
    # Focusing <main> on each screen change used to scroll the header with the sync status away.
    page.set_viewport_size({"width": 390, "height": 844})
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    expect(sync_status(page)).to_be_in_viewport()


def test_a_late_tick_stays_in_view_and_can_be_undone(live_server, page):
    # A tick on yesterday's task used to vanish from "From yesterday" at once.
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    evening = slot(page, "Evening", yesterday=True)
    box = task(evening, CLEANSE)
    box.check()
    expect(box).to_be_checked()
    box.uncheck()
    expect(box).not_to_be_checked()
    expect(sync_status(page)).to_have_text(UP_TO_DATE)


def test_a_too_short_day_gets_a_plain_message(live_server, page):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    page.get_by_role("link", name="Settings").click()
    set_time(page.get_by_role("group", name="I usually get up at"), "22", "30")
    page.get_by_role("button", name="Save my day").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Leave at least 6 hours between getting up and going to bed."
    )
