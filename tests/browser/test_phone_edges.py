"""The edges of a phone's life (issue 12): disconnected, switched to another plan, two phones."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from .conftest import ZONE
from .phone import (
    BALM,
    CLEANSE,
    SAVED_ON_PHONE,
    come_back_to,
    eventually,
    go_offline,
    go_online,
    headings_seen,
    open_enrollment,
    put_tick,
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
SAM, ALEX = ("Sam", "North Clinic"), ("Alex", "South Clinic")
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
    with page.expect_download() as started:
        page.get_by_role("button", name="Download them").click()
    data = json.loads(Path(started.value.path()).read_text(encoding="utf-8"))
    assert [(t["id"], t["task"]) for t in data["ticks"]] == [(unsent["id"], BALM)]
    assert len(live_server.events(sam.client_id)) == 1

    # The clinic sends Sam a new link: no question, and the kept tick arrives, once.
    open_enrollment(page, live_server.another_device(sam.client_id).url)
    wait_synced(page)
    expect(task(slot(page, "Morning"), BALM)).to_be_checked()
    stored = live_server.events(sam.client_id)
    assert [(str(e.event_id), e.action) for e in stored][1:] == [(unsent["id"], "done")]
    assert sorted(str(e.event_id) for e in stored) == sorted(e["id"] for e in store(page, "events"))


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


def test_another_clients_link_asks_first_and_switching_signs_the_old_phone_out(
    live_server, new_context
):
    # No service worker: the page's own sync is held back below, and nothing else sends.
    page = new_context(service_workers="block").new_page()
    sam, alex = live_server.add_client(*SAM), live_server.add_client(*ALEX)
    open_enrollment(page, sam.url)
    sams_token = saved(page, "token")
    morning = slot(page, "Morning")
    task(morning, CLEANSE).check()
    wait_synced(page)

    page.goto(alex.url)
    expect(page.locator("#switch-question")).to_have_text(
        "This phone shows Sam's aftercare from North Clinic. "
        "The link is for Alex's aftercare from South Clinic. Switch to the plan in this link?"
    )
    page.get_by_role("button", name="Keep Sam's plan").click()
    expect(heading(page)).to_have_text("Today")
    expect(task(morning, CLEANSE)).to_be_checked()
    assert page.url == f"{live_server.url}/"
    assert saved(page, "token") == sams_token
    assert live_server.device(sams_token).revoked_at is None

    page.route("**/api/v1/me/sync", lambda route: route.abort())  # the server out of reach
    task(morning, BALM).check()
    wait_for_outbox(page, 1)
    # The sync has failed, not merely not begun: else it could reach the server after unroute.
    expect(sync_status(page)).to_have_text(SAVED_ON_PHONE)
    page.unroute("**/api/v1/me/sync")
    page.goto(alex.url)  # the same link, still unused
    sent_first = "1 tick made on this phone was sent to North Clinic first."
    expect(page.get_by_text(sent_first)).to_be_visible()
    assert [e.action for e in live_server.events(sam.client_id)] == ["done", "done"]
    page.get_by_role("button", name="Switch to Alex's plan").click()
    expect(heading(page)).to_have_text("Today")
    expect(page.locator("#clinic")).to_have_text("South Clinic")
    wait_synced(page)
    expect(task(slot(page, "Morning"), CLEANSE)).not_to_be_checked()  # Alex's plan, Alex's ticks

    assert live_server.device(sams_token).revoked_at is not None  # signed out on the server
    assert live_server.events(alex.client_id) == []
    assert len(live_server.events(sam.client_id)) == 2
    assert store(page, "events") == [] and saved(page, "kept") == []


def test_ticks_a_disconnected_plan_kept_are_never_sent_into_the_next(live_server, page):
    sam, alex = live_server.add_client(*SAM), live_server.add_client(*ALEX)
    open_enrollment(page, sam.url)
    go_offline(page)
    morning = slot(page, "Morning")
    task(morning, CLEANSE).check()
    task(morning, BALM).check()
    unsent = wait_for_outbox(page, 2)
    live_server.revoke(saved(page, "token"))
    go_online(page)
    expect(heading(page)).to_have_text(DISCONNECTED)

    page.goto(alex.url)
    expect(page.locator("#switch-question")).to_contain_text(
        "This phone showed Sam's aftercare from North Clinic. "
        "The link is for Alex's aftercare from South Clinic."
    )
    expect(page.locator("#unsent")).to_have_text(
        "2 ticks made on this phone haven't reached North Clinic. This phone keeps them apart "
        "from Alex's plan, never sending them into it, until you download or discard them."
    )
    page.get_by_role("button", name="Switch to Alex's plan").click()
    expect(heading(page)).to_have_text("Today")
    wait_synced(page)
    kept = page.get_by_role("region", name="Ticks for Sam's plan")
    expect(kept).to_contain_text(
        "2 ticks made for Sam's plan at North Clinic could not be sent: "
        "North Clinic disconnected that phone."
    )
    assert live_server.events(alex.client_id) == []
    assert live_server.events(sam.client_id) == []

    with page.expect_download() as started:
        kept.get_by_role("button", name="Download them").click()
    data = json.loads(Path(started.value.path()).read_text(encoding="utf-8"))
    assert data["client"] == {"name": "Sam", "clinic": "North Clinic"}
    assert sorted(t["id"] for t in data["ticks"]) == sorted(e["id"] for e in unsent)
    assert sorted(t["task"] for t in data["ticks"]) == sorted([BALM, CLEANSE])

    page.reload()  # kept on the phone, not in the page
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    kept.get_by_role("button", name="Discard them").click()
    eventually(page, lambda: questions, "the question asked")  # and declined
    assert questions == ["Discard 2 ticks made for Sam's plan? North Clinic will never see them."]
    expect(kept).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    kept.get_by_role("button", name="Discard them").click()
    expect(kept).to_have_count(0)
    assert saved(page, "kept") == []
    assert live_server.events(alex.client_id) == []


def test_signing_out_offline_reaches_the_server_once_back_online(live_server, page):
    sam = live_server.add_client(*SAM)
    open_enrollment(page, sam.url)
    token = saved(page, "token")
    go_offline(page)
    task(slot(page, "Morning"), CLEANSE).check()
    wait_for_outbox(page, 1)
    page.get_by_role("link", name="Settings").click()
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Sign out from this phone").click()
    expect(heading(page)).to_have_text("Welcome to Aftercue")
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()
    assert questions == [
        "1 tick hasn't reached your clinic yet. This phone keeps it and sends it when it's "
        "online, then signs out. Sign out now?"
    ]
    kept = page.get_by_role("region", name="Ticks for Sam's plan")
    expect(kept).to_contain_text("1 tick made for Sam's plan at North Clinic hasn't reached")
    assert saved(page, "token") is None and saved(page, "plan") is None
    assert live_server.device(token).revoked_at is None  # the server hasn't heard yet

    go_online(page)
    expect(kept).to_have_count(0)  # the tick went, then the sign-out
    assert live_server.device(token).revoked_at is not None
    assert [e.action for e in live_server.events(sam.client_id)] == ["done"]
    assert saved(page, "kept") == [] and store(page, "outbox") == []


def test_unticking_a_step_a_ticked_one_follows_asks_first(live_server, page):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    morning = slot(page, "Morning")
    cleanse, balm = task(morning, CLEANSE), task(morning, BALM)
    cleanse.check()
    balm.check()
    wait_synced(page)

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    cleanse.click()
    expect(cleanse).to_be_checked()  # declined: both stay ticked, nothing recorded
    expect(balm).to_be_checked()
    assert questions == [f"You ticked “{BALM}” after this step. Untick “{CLEANSE}” anyway?"]
    assert [e["action"] for e in store(page, "events")] == ["done", "done"]

    page.once("dialog", lambda dialog: dialog.accept())
    cleanse.click()
    expect(cleanse).not_to_be_checked()
    eventually(page, lambda: len(store(page, "events")) == 3, "the untick recorded")
    wait_synced(page)
    actions = [e.action for e in live_server.events(enrollment.client_id)]
    assert actions == ["done", "done", "undone"]


def test_today_offers_no_future_tick_and_a_refused_one_is_said(live_server, page):
    enrollment = live_server.add_client()
    open_enrollment(page, enrollment.url)
    today = datetime.now(ZoneInfo(ZONE)).date()
    plan = live_server.plan(enrollment.client_id)
    days = {o["id"]: date.fromisoformat(o["date"]) for o in plan["occurrences"]}
    offered = page.get_by_role("checkbox").evaluate_all("boxes => boxes.map((b) => b.id)")
    assert offered and all(days[box[2:]] <= today for box in offered)

    later = next(
        o
        for o in plan["occurrences"]
        if days[o["id"]] >= today + timedelta(days=3) and o["task"] != "checkin"
    )
    tick = {"id": str(uuid.uuid4()), "occurrence": later["id"], "action": "done"}
    put_tick(page, {**tick, "at": datetime.now(UTC).isoformat(timespec="milliseconds")})
    come_back_to(page)  # the next sync sends it; the server refuses it
    refused = page.get_by_role("region", name="Not accepted")
    expect(refused).to_contain_text(
        "This task's day has not begun: it can be ticked from the day before it."
    )
    expect(refused).to_contain_text(f"“{BALM if later['task'] == 'balm' else CLEANSE}”")
    wait_synced(page)
    assert live_server.events(enrollment.client_id) == []
    page.reload()  # said until the client has read it
    refused.get_by_role("button", name="OK").click()
    expect(refused).to_have_count(0)
    assert saved(page, "refused") == []
