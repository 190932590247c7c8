"""The edges of a phone's life (issue 12): disconnected, switched to another plan, two phones."""

from __future__ import annotations

from playwright.sync_api import expect

from .phone import (
    BALM,
    CLEANSE,
    come_back_to,
    go_offline,
    go_online,
    headings_seen,
    open_enrollment,
    record_headings,
    redrawn,
    saved,
    slot,
    store,
    sync_status,
    task,
    wait_for_outbox,
    wait_synced,
    worker_says_synced,
)

DISCONNECTED = "This phone was disconnected"
A_MINUTE = 61_000  # past the app's once-a-minute redraw


def heading(page):
    return page.get_by_role("heading", level=1)


def test_a_disconnected_phone_keeps_saying_so_and_keeps_its_ticks(live_server, context):
    record_headings(context)
    context.clock.install()  # the minute's redraw, on demand
    page = context.new_page()
    sam = live_server.add_client(name="Sam", clinic="North Clinic")
    open_enrollment(page, sam.url)
    morning = slot(page, "Morning")
    task(morning, CLEANSE).check()
    wait_synced(page)
    go_offline(page)
    task(morning, BALM).check()
    [unsent] = wait_for_outbox(page, 1)

    live_server.revoke(saved(page, "token"))
    go_online(page)  # the app syncs, and the server refuses its token
    expect(heading(page)).to_have_text(DISCONNECTED)
    expect(page.get_by_text("This phone was disconnected by your clinic.")).to_be_visible()
    expect(page.get_by_text("ask North Clinic for a new link")).to_be_visible()
    expect(page.locator("#unsent")).to_contain_text("1 tick made on this phone hasn't reached")
    expect(sync_status(page)).to_have_text("Disconnected")
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()

    # Every way the app redraws: the worker's word, a return to the app, the minute's timer.
    redrawn(page, lambda: worker_says_synced(page))
    redrawn(page, lambda: come_back_to(page))
    redrawn(page, lambda: page.clock.run_for(A_MINUTE))
    expect(heading(page)).to_have_text(DISCONNECTED)
    seen = headings_seen(page)
    assert seen[seen.index(DISCONNECTED) :] == [DISCONNECTED], seen
    page.reload()
    expect(heading(page)).to_have_text(DISCONNECTED)
    expect(page.locator("#unsent")).to_contain_text("1 tick")
    assert headings_seen(page) == [DISCONNECTED]  # not even for a moment after a start
    expect(page.get_by_role("checkbox")).to_have_count(0)  # takes no ticks
    assert store(page, "outbox") == [unsent]  # kept, not deleted by the 401
    assert live_server.events(sam.client_id)[0].action == "done"
    assert len(live_server.events(sam.client_id)) == 1


def test_a_tick_on_one_phone_is_drawn_on_the_other_at_its_next_sync(live_server, new_context):
    enrollment = live_server.add_client()
    phone = new_context().new_page()
    open_enrollment(phone, enrollment.url)
    tablet = new_context().new_page()
    open_enrollment(tablet, live_server.another_device(enrollment.client_id).url)
    expect(task(slot(tablet, "Evening"), BALM)).to_be_disabled()

    task(slot(phone, "Evening"), CLEANSE).check()
    wait_synced(phone)
    come_back_to(tablet)  # the tablet syncs, and draws what it pulled at once
    evening = slot(tablet, "Evening")
    expect(task(evening, CLEANSE)).to_be_checked()
    expect(task(evening, BALM)).to_be_enabled()  # balm follows the cleanse, whoever ticked it

    task(evening, BALM).check()
    wait_synced(tablet)
    come_back_to(phone)
    expect(task(slot(phone, "Evening"), BALM)).to_be_checked()
    assert [e.action for e in live_server.events(enrollment.client_id)] == ["done", "done"]
