"""Push reminders in Chromium against the live server: asking, subscribing, showing, acting.

Real: the app and its service worker, the notification permission as Chromium grants or
refuses it, notifications shown by the worker (read back with getNotifications()), IndexedDB,
sync, and the server with its database. Reminders are planned, encrypted and sent by the
server's own courier to a loopback Web Push service (tests/support/push_service.py), which checks
and decrypts them as a real push service and browser would.

Stubbed: the browser's push subscription. Chromium can't subscribe in these tests: an
off-the-record context (every Playwright context) refuses at once with "Registration failed -
permission denied", and a real profile waits for Google's push service, which a test without
network never reaches. So fake_push.js replaces PushManager's subscribe() and getSubscription()
in the page, and hands out the loopback service's subscriptions: the server's pushes to them
are real ones.

Delivered by DevTools: the push service's hop to the browser. The decrypted message goes to
the service worker with CDP's ServiceWorker.deliverPushMessage, which fires its push event;
DevTools' background-service log tells the test when that event has settled.

Dispatched by the test: taps on a notification. No DevTools command taps one, so the test
dispatches a notificationclick event in the worker, carrying the real notification, and the
worker's own listener handles it; only its waitUntil() is the test's, since the browser keeps
no script-made event alive.
"""

from __future__ import annotations

import json
import math
import re
import time
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, func, select

from server.extensions import db
from server.models import Client, Device, PushSubscription, Reminder
from server.reminders.courier import make_courier
from server.reminders.delivery import send_due
from tests.support.push_service import PushMessage, PushService, Subscription

from .conftest import WAIT_MS, Enrollment
from .phone import (
    CLEANSE,
    UP_TO_DATE,
    open_enrollment,
    set_time,
    slot,
    store,
    sync_status,
    task,
    wait_for_worker,
    wait_synced,
)

FAKE_PUSH = Path(__file__).with_name("fake_push.js")
ASK = "Get a reminder for “Cleanse your scalp” and “Apply balm”."
TURN_ON = "Turn on reminders"
NOTIFICATIONS = """async () => (await self.registration.getNotifications())
  .map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data,
                 actions: n.actions.map((a) => a.action) }))"""
TAP = """async ({ tag, action }) => {
  const [notification] = await self.registration.getNotifications({ tag });
  if (!notification) throw new Error(`no notification tagged ${tag}`);
  const event = new NotificationEvent("notificationclick", { notification, action });
  let work = Promise.resolve();
  Object.defineProperty(event, "waitUntil", { value: (promise) => { work = promise; } });
  self.dispatchEvent(event);
  await work;
  return (await self.registration.getNotifications({ tag })).length;
}"""
FAKE_STATE = "() => JSON.parse(localStorage.getItem('fake-push'))"
BROWSER_DROPS_IT = """() => {
  const state = JSON.parse(localStorage.getItem("fake-push"));
  localStorage.setItem("fake-push", JSON.stringify({ ...state, current: null }));
}"""


@pytest.fixture
def push_service(live_server, monkeypatch):
    """A loopback push service the live server may send to, for one test.

    The server's database lives for the whole session, so the test's subscriptions (and with
    them their reminders) go when it ends: the next test's reminder worker sends only its own.
    """
    with PushService() as service:
        monkeypatch.setitem(live_server.app.config, "PUSH_EXTRA_ORIGINS", (service.origin,))
        yield service
        with live_server.app.app_context():
            ours = PushSubscription.endpoint.startswith(f"{service.origin}/")
            db.session.execute(delete(PushSubscription).where(ours))
            db.session.commit()


@pytest.fixture
def handed_out(push_service) -> list[Subscription]:
    """The subscriptions the phone's browser hands out, in order: the loopback service's."""
    return [push_service.subscribe(), push_service.subscribe()]


@pytest.fixture
def phone(live_server, handed_out, context):
    """A page whose push subscriptions come from `handed_out` (see fake_push.js)."""
    page = context.new_page()
    config = {"origin": live_server.url, "subscriptions": handed_out}
    page.add_init_script(script=f"globalThis.FAKE_PUSH = {json.dumps(config)};")
    page.add_init_script(path=FAKE_PUSH)
    return page


def wait_until(check, what: str):
    deadline = time.monotonic() + WAIT_MS / 1000
    while not (value := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return value


def endpoints(live_server, client_id: int) -> set[str]:
    """The endpoints of every push subscription the server holds for the client's devices."""
    with live_server.app.app_context():
        query = select(PushSubscription.endpoint).join(Device).where(Device.client_id == client_id)
        return set(db.session.scalars(query))


def forget_subscriptions(live_server, client_id: int) -> None:
    with live_server.app.app_context():
        devices = select(Device.id).where(Device.client_id == client_id)
        db.session.execute(delete(PushSubscription).where(PushSubscription.device_id.in_(devices)))
        db.session.commit()


def enroll_and_turn_on(live_server, page: Page, subscription: Subscription) -> Enrollment:
    """Enroll, allow notifications, tap "Turn on reminders"; wait until the server has it."""
    enrollment = live_server.add_client()
    # Granted only once the app has started: granted earlier, it would subscribe by itself.
    with page.expect_response(re.compile(r"/api/v1/me/reminders$")):
        open_enrollment(page, enrollment.url)
    card = page.get_by_role("region", name="Reminders")
    expect(card).to_contain_text(ASK)
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    card.get_by_role("button", name=TURN_ON).click()
    endpoint = subscription["endpoint"]
    wait_until(lambda: endpoints(live_server, enrollment.client_id) == {endpoint}, "a subscription")
    return enrollment


def send_next_reminder(live_server, client_id: int, service: PushService, to: str) -> PushMessage:
    """Run the server's reminder worker when the client's next reminder is due; what `to` gets."""
    app = live_server.app
    with app.app_context():
        due: datetime = db.session.scalar(
            select(func.min(Reminder.due_at)).where(
                Reminder.client_id == client_id, Reminder.state == "pending"
            )
        )
        service.clock = due.timestamp  # the push service, and the worker's VAPID signature,
        courier = make_courier({**app.config, "CLOCK": lambda: due})  # live at `due`
        try:
            sent = send_due(courier, lambda: due, "browser-test")
        finally:
            courier.sender.close()
    # One sent: this client's. The live server's database is shared by every browser test, so
    # a reminder left pending by an earlier test (its push service gone) may fall due too.
    assert sent["sent"] == 1, sent
    [message] = service.deliver(to, due.timestamp())
    return message


def push(page: Page, origin: str, data: str) -> None:
    """Deliver a push message to the app's service worker, as the push service would, and wait
    until the worker has handled it: its push event settled, so the notification is stored.

    Waiting matters: Chromium's getNotifications() drops from its store any notification that
    is not on screen yet, so reading them while a push is still being handled may lose one.
    """
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict] = []
    handled: list[dict] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.on(
        "BackgroundService.backgroundServiceEventReceived",
        lambda e: handled.append(e["backgroundServiceEvent"]),
    )
    cdp.send("ServiceWorker.enable")
    cdp.send("BackgroundService.setRecording", {"shouldRecord": True, "service": "pushMessaging"})
    cdp.send("BackgroundService.startObserving", {"service": "pushMessaging"})
    # A push may first have to start a stopped worker and load its modules: on a busy machine
    # that alone can take seconds, so this wait allows more than one step's.
    deadline = time.monotonic() + 3 * WAIT_MS / 1000

    def wait_for(found, what: str) -> list[dict]:
        while not (value := found()):
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            page.wait_for_timeout(20)  # lets Playwright take in DevTools' events meanwhile
        return value

    ours = wait_for(
        lambda: [r for r in registrations if r["scopeURL"] == f"{origin}/" and not r["isDeleted"]],
        "the service worker's registration",
    )
    sent_at = math.floor(time.time() * 1000) / 1000  # the events' clock counts milliseconds
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": ours[-1]["registrationId"], "data": data},
    )
    # Events recorded by earlier pushes are replayed first: this push's ends after `sent_at`.
    done = wait_for(
        lambda: [
            e
            for e in handled
            if e["eventName"] == "Push event completed" and e["timestamp"] >= sent_at
        ],
        "the push event to be handled",
    )
    cdp.detach()
    assert {m["key"]: m["value"] for m in done[0]["eventMetadata"]} == {"Status": "Success"}


def notifications(page: Page) -> list[dict]:
    """The service worker's notifications: read only after push() returned (see there)."""
    return page.context.service_workers[0].evaluate(NOTIFICATIONS)


def tap(page: Page, tag: str, action: str = "") -> int:
    """Tap a notification (or one of its buttons); how many with its tag are left on screen."""
    return page.context.service_workers[0].evaluate(TAP, {"tag": tag, "action": action})


def test_the_reminder_card_turns_on_reminders_for_this_phone(live_server, phone, handed_out):
    enrollment = enroll_and_turn_on(live_server, phone, handed_out[0])

    expect(phone.get_by_text("Reminders are on. Change them in Settings.")).to_be_visible()
    expect(phone.get_by_text(ASK)).to_have_count(0)
    # Subscribed with the server's key, and sent as the browser's toJSON() gives it.
    key = live_server.app.test_client().get("/api/v1/push/key").get_json()["key"]
    assert phone.evaluate(FAKE_STATE)["current"]["key"] == key
    sent = handed_out[0]
    with live_server.app.app_context():
        [row] = db.session.scalars(
            select(PushSubscription).join(Device).where(Device.client_id == enrollment.client_id)
        )
        assert (row.endpoint, row.p256dh, row.auth) == (sent["endpoint"], *sent["keys"].values())

    phone.get_by_role("link", name="Settings").click()
    expect(phone.locator("#remind-state")).to_have_text("Reminders are on for this phone.")
    expect(phone.get_by_role("switch", name="Reminders on this phone")).to_be_checked()


def test_the_app_sends_its_subscription_again_each_time_it_opens(live_server, phone, handed_out):
    enrollment = enroll_and_turn_on(live_server, phone, handed_out[0])
    first, second = (s["endpoint"] for s in handed_out)

    # The server lost it (say, a restore from backup): the next start sends it again.
    forget_subscriptions(live_server, enrollment.client_id)
    phone.reload()
    wait_until(lambda: endpoints(live_server, enrollment.client_id) == {first}, "the same one")

    # The browser dropped it silently: with permission still granted, the app subscribes anew.
    phone.evaluate(BROWSER_DROPS_IT)
    phone.reload()
    wait_until(lambda: second in endpoints(live_server, enrollment.client_id), "a new one")
    assert phone.evaluate(FAKE_STATE)["calls"].count("subscribe") == 2


def test_settings_turn_reminders_off_on_this_phone_and_keep_preferences(
    live_server, phone, handed_out
):
    enrollment = enroll_and_turn_on(live_server, phone, handed_out[0])
    phone.get_by_role("link", name="Settings").click()
    switch = phone.get_by_role("switch", name="Reminders on this phone")

    switch.uncheck()
    expect(phone.locator("#remind-state")).to_have_text("Reminders are off for this phone.")
    wait_until(lambda: not endpoints(live_server, enrollment.client_id), "no subscription")
    assert phone.evaluate(FAKE_STATE)["current"] is None
    # Turned off here, it stays off when the app opens again, though permission is granted.
    with phone.expect_response(re.compile(r"/api/v1/me/reminders$")):
        phone.reload()
    expect(switch).not_to_be_checked()
    assert not endpoints(live_server, enrollment.client_id)

    phone.get_by_label("Discreet on the lock screen").check()
    set_time(phone.get_by_role("group", name="From"), "22", "00")
    set_time(phone.get_by_role("group", name="Until"), "08", "30")
    with phone.expect_response(re.compile(r"/api/v1/me/reminders$")) as saved:
        phone.get_by_role("button", name="Save reminder settings").click()
    assert saved.value.request.method == "PUT"
    expect(phone.get_by_text("Saved.", exact=True)).to_be_visible()
    with live_server.app.app_context():
        client = db.session.get(Client, enrollment.client_id)
        quiet = (client.quiet_start.isoformat("minutes"), client.quiet_end.isoformat("minutes"))
        assert (client.reminders_discreet, quiet) == (True, ("22:00", "08:30"))

    switch.check()
    expect(phone.locator("#remind-state")).to_have_text("Reminders are on for this phone.")
    wait_until(lambda: endpoints(live_server, enrollment.client_id), "a subscription again")
    phone.reload()
    expect(phone.get_by_label("Discreet on the lock screen")).to_be_checked()
    expect(phone.get_by_role("group", name="From").get_by_label("Hour")).to_have_value("22")
    expect(phone.get_by_role("group", name="Until").get_by_label("Minutes")).to_have_value("30")


def test_refused_notifications_are_explained_and_the_app_works_without(live_server, phone):
    enrollment = live_server.add_client()
    open_enrollment(phone, enrollment.url)
    card = phone.get_by_role("region", name="Reminders")
    card.get_by_role("button", name=TURN_ON).click()  # Chromium refuses: nobody granted it

    expect(card).to_contain_text("Notifications are blocked for Aftercue in this browser.")
    expect(card).to_contain_text("Aftercue works without them")
    assert phone.evaluate("() => Notification.permission") == "denied"
    task(slot(phone, "Evening"), CLEANSE).check()
    wait_synced(phone)
    assert [e.action for e in live_server.events(enrollment.client_id)] == ["done"]
    card.get_by_role("button", name="OK").click()
    expect(card).to_be_hidden()

    phone.get_by_role("link", name="Settings").click()
    expect(phone.locator("#remind-state")).to_contain_text("blocked")
    expect(phone.get_by_role("switch", name="Reminders on this phone")).to_be_disabled()
    assert not endpoints(live_server, enrollment.client_id)


def test_a_reminder_from_the_server_shows_as_a_notification_once(
    live_server, phone, handed_out, push_service
):
    enrollment = enroll_and_turn_on(live_server, phone, handed_out[0])
    wait_for_worker(phone)
    message = send_next_reminder(live_server, enrollment.client_id, push_service, handed_out[0].id)
    payload = message.payload
    assert payload["occurrences"] and payload["snooze"] is True

    push(phone, live_server.url, message.plaintext.decode())
    [shown] = notifications(phone)
    assert shown == {
        "title": payload["title"],
        "body": payload["body"],
        "tag": payload["tag"],
        "data": payload,
        "actions": ["done", "snooze"],
    }
    # The same reminder again (a worker that died mid-send retries it) replaces it, never
    # doubles; a push that can't be read still shows something.
    push(phone, live_server.url, message.plaintext.decode())
    assert notifications(phone) == [shown]
    push(phone, live_server.url, "not the server's JSON")
    by_tag = {n["tag"]: n for n in notifications(phone)}
    assert len(by_tag) == 2
    assert by_tag[payload["tag"]] == shown
    assert by_tag[""] == {
        "title": "Aftercue",
        "body": "You have an aftercare task due.",
        "tag": "",
        "data": {"url": "/"},
        "actions": [],
    }


def test_done_on_a_notification_records_its_tasks_once(
    live_server, phone, handed_out, push_service
):
    enrollment = enroll_and_turn_on(live_server, phone, handed_out[0])
    wait_for_worker(phone)
    message = send_next_reminder(live_server, enrollment.client_id, push_service, handed_out[0].id)
    occurrences = message.payload["occurrences"]
    push(phone, live_server.url, message.plaintext.decode())
    [shown] = notifications(phone)
    worker = phone.context.service_workers[0]

    phone.close()  # no window of the app is open: the worker alone records and sends
    assert worker.evaluate(TAP, {"tag": shown["tag"], "action": "done"}) == 0  # and it is gone
    stored = live_server.events(enrollment.client_id)
    assert sorted((e.occurrence_id, e.action) for e in stored) == sorted(
        (occurrence, "done") for occurrence in occurrences
    )

    # Opened later, the app has them; delivered and tapped again, nothing is added.
    page = phone.context.new_page()
    page.goto(live_server.url)
    expect(sync_status(page)).to_have_text(UP_TO_DATE)
    assert store(page, "outbox") == []
    assert {e["occurrence"] for e in store(page, "events")} == set(occurrences)
    push(page, live_server.url, message.plaintext.decode())
    notifications(page)
    assert tap(page, shown["tag"], "done") == 0
    assert len(live_server.events(enrollment.client_id)) == len(occurrences)


def test_snooze_on_a_notification_asks_the_server_to_remind_again(
    live_server, phone, handed_out, push_service
):
    enrollment = enroll_and_turn_on(live_server, phone, handed_out[0])
    wait_for_worker(phone)
    message = send_next_reminder(live_server, enrollment.client_id, push_service, handed_out[0].id)
    push(phone, live_server.url, message.plaintext.decode())
    [shown] = notifications(phone)

    assert tap(phone, shown["tag"], "snooze") == 0
    with live_server.app.app_context():
        reminder = db.session.get(Reminder, message.payload["reminder"])
        assert (reminder.state, reminder.snoozes) == ("pending", 1)
    assert live_server.events(enrollment.client_id) == []


def test_tapping_a_notification_shows_today(live_server, phone, handed_out):
    enrollment = enroll_and_turn_on(live_server, phone, handed_out[0])
    wait_for_worker(phone)
    phone.get_by_role("link", name="Settings").click()
    push(
        phone,
        live_server.url,
        json.dumps({"title": "Evening aftercare", "tag": "t", "occurrences": ["x"]}),
    )
    notifications(phone)

    assert tap(phone, "t") == 0
    expect(phone.get_by_role("heading", level=1)).to_have_text("Today")
    assert phone.url == f"{live_server.url}/"
    assert live_server.events(enrollment.client_id) == []


def test_signing_out_stops_reminders_to_this_phone(live_server, phone, handed_out):
    enrollment = enroll_and_turn_on(live_server, phone, handed_out[0])
    phone.get_by_role("link", name="Settings").click()
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Sign out from this phone").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome to Aftercue")
    assert not endpoints(live_server, enrollment.client_id)
    assert phone.evaluate(FAKE_STATE)["current"] is None
