"""Reminders on the client's clock: DST days, quiet hours, discretion, travel."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.domain.reminders import DISCREET_BODY, DISCREET_TITLE
from tests.support.subscribers import enroll, reminder_rows, subscribe

from .conftest import MORNING

DAY_2_NOON = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
SETTINGS = "/api/v1/me/reminders"


def local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


@pytest.mark.parametrize(
    ("zone", "session_start", "dst_day"),
    [
        ("Europe/London", datetime(2026, 3, 27, 10, 0, tzinfo=UTC), "2026-03-29"),
        ("America/Los_Angeles", datetime(2026, 3, 6, 17, 0, tzinfo=UTC), "2026-03-08"),
    ],
)
def test_a_dst_day_sends_its_reminders_at_the_usual_local_times(
    app, http, push_service, send_due, clock, zone, session_start, dst_day
):
    clock.at = session_start + timedelta(days=1)
    person = enroll(app, clock.at, session_start, zone=zone)
    subscription = subscribe(http, person.phone, push_service)
    rows = [r for r in reminder_rows(app) if r["key"].startswith(dst_day)]
    assert [r["key"].split("|")[1] for r in rows] == ["morning", "midday", "evening"]

    for row in rows:
        assert send_due(row["due_at"]) == {"sent": 1}

    day = [m for m in push_service.messages(subscription.id) if m.payload["tag"][:10] == dst_day]
    summer = "BST" if zone == "Europe/London" else "PDT"
    assert [local(datetime.fromtimestamp(m.received_at, UTC), zone) for m in day] == [
        f"{dst_day} 07:30 {summer}",
        f"{dst_day} 14:45 {summer}",
        f"{dst_day} 22:00 {summer}",
    ]
    assert [m.payload["title"] for m in day] == [
        "Morning aftercare",
        "Midday aftercare",
        "Evening aftercare",
    ]


def put_settings(http, headers, **changes):
    settings = {"enabled": True, "discreet": False, "quiet_start": None, "quiet_end": None}
    return http.put(SETTINGS, json=settings | changes, headers=headers)


def test_quiet_hours_hold_the_morning_and_skip_the_night(
    app, http, person, push_service, send_due, clock, now
):
    clock.at = DAY_2_NOON
    subscription = subscribe(http, person.phone, push_service)
    response = put_settings(http, person.phone, quiet_start="21:00", quiet_end="08:00")
    assert response.status_code == 200
    assert response.get_json() == {
        "enabled": True,
        "discreet": False,
        "quiet_start": "21:00",
        "quiet_end": "08:00",
        "subscribed": True,
    }
    day3 = {r["key"]: r for r in reminder_rows(app) if r["key"].startswith("2026-03-19")}
    assert sorted(day3) == ["2026-03-19|midday", "2026-03-19|morning"]  # 22:00 is quiet
    assert local(day3[MORNING]["due_at"], "Europe/London") == "2026-03-19 08:00 GMT"

    assert send_due(now) == {}
    assert send_due(now + timedelta(minutes=30)) == {"sent": 1}
    [message] = push_service.messages(subscription.id)
    assert message.payload["tag"] == MORNING
    assert message.received_at == (now + timedelta(minutes=30)).timestamp()
    for row in reminder_rows(app):
        assert time(8) <= row["due_at"].astimezone(ZoneInfo("Europe/London")).time() < time(21)


def test_discreet_reminders_name_no_task(app, http, person, push_service, send_due):
    subscription = subscribe(http, person.phone, push_service)
    assert put_settings(http, person.phone, discreet=True).status_code == 200

    assert send_due() == {"sent": 1}

    [message] = push_service.messages(subscription.id)
    assert (message.payload["title"], message.payload["body"]) == (DISCREET_TITLE, DISCREET_BODY)
    assert b"scalp" not in message.plaintext and b"balm" not in message.plaintext


def test_turning_reminders_off_removes_the_pending_ones(
    app, http, person, push_service, send_due, now
):
    subscribe(http, person.phone, push_service)
    pending = len(reminder_rows(app, state="pending"))
    assert pending > 1

    assert put_settings(http, person.phone, enabled=False).get_json()["enabled"] is False
    assert reminder_rows(app, state="pending") == []
    assert send_due() == {}
    assert send_due(now + timedelta(hours=7, minutes=15)) == {}
    assert push_service.requests == 0

    put_settings(http, person.phone)
    assert len(reminder_rows(app, state="pending")) == pending - 1  # the morning one is past


def sync_from(http, headers, zone):
    response = http.post("/api/v1/me/sync", json={"events": [], "timezone": zone}, headers=headers)
    assert response.status_code == 200


def test_a_traveller_gets_the_morning_reminder_in_the_new_morning(
    app, http, person, push_service, send_due, clock
):
    clock.at = DAY_2_NOON
    subscription = subscribe(http, person.phone, push_service)
    home = {r["key"]: r["due_at"] for r in reminder_rows(app) if r["key"] >= "2026-03-19"}

    sync_from(http, person.phones[1], "Asia/Tokyo")

    away = {r["key"]: r["due_at"] for r in reminder_rows(app) if r["key"] >= "2026-03-19"}
    assert set(away) == set(home)
    for key, due in away.items():
        wall = {"morning": "07:30", "midday": "14:45", "evening": "22:00"}[key.split("|")[1]]
        assert local(due, "Asia/Tokyo") == f"{key[:10]} {wall} JST"
    assert local(away[MORNING], "UTC") == "2026-03-18 22:30 UTC"

    assert send_due(away[MORNING]) == {"sent": 1}
    [message] = push_service.messages(subscription.id)
    assert message.payload["tag"] == MORNING


def test_a_moment_task_keeps_its_instant_when_the_phone_travels(app, http, push_service, clock):
    session = datetime(2026, 3, 25, 10, 0, tzinfo=UTC)
    person = enroll(app, clock.at, session, protocol="smp-layering")
    subscribe(http, person.phone, push_service)
    [before] = reminder_rows(app)
    assert before["key"] == "2026-03-25|moment|prep-shower"
    assert local(before["due_at"], "Europe/London") == "2026-03-25 07:00 GMT"

    sync_from(http, person.phone, "Asia/Tokyo")

    [after] = reminder_rows(app)
    assert (after["id"], after["due_at"]) == (before["id"], before["due_at"])
