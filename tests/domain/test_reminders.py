"""Reminder planning: one per slot, the phone's local time, quiet hours, words."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.domain.reminders import Due, describe, outside_quiet_hours, plan_slots, topic

from .plan_fixtures import local_session, plan_for

LONDON = ZoneInfo("Europe/London")
GRACE = timedelta(hours=2)


def due_list(plan):
    return [
        Due(o.id, o.task_id, o.date, o.slot, o.at, o.due_end, o.follows) for o in plan.occurrences
    ]


def scalp_nation_plan(tz="Europe/London"):
    return plan_for("scalp-nation", tz, [local_session(tz, "2026-03-02T09:00")])


def test_the_checkin_is_never_in_a_reminder():
    slots = plan_slots(due_list(scalp_nation_plan()), "Europe/London", None, None, GRACE)
    assert any(o.task_id == "checkin" for o in scalp_nation_plan().occurrences)
    assert not [s for s in slots if "checkin" in s.task_ids]
    assert not [s for s in slots if s.key.startswith("2026-03-02")]  # day 1: only the check-in


def test_one_reminder_per_slot_groups_cleanse_then_balm():
    plan = scalp_nation_plan()
    slots = plan_slots(due_list(plan), "Europe/London", None, None, GRACE)
    day3 = [s for s in slots if s.key.startswith("2026-03-04")]
    assert [s.slot for s in day3] == ["morning", "midday", "evening"]
    assert all(s.task_ids == ("cleanse", "balm") for s in day3)
    assert [s.due_at.astimezone(LONDON).strftime("%H:%M") for s in day3] == [
        "07:30",
        "14:45",
        "22:00",
    ]
    assert len({s.key for s in slots}) == len(slots)


def test_the_text_says_cleanse_then_balm_or_stays_discreet():
    titles = {"cleanse": "Cleanse your scalp", "balm": "Apply balm"}
    assert describe(("cleanse", "balm"), titles, "morning", False) == (
        "Morning aftercare",
        "Cleanse your scalp, then apply balm",
    )
    assert describe(("cleanse", "balm"), titles, "evening", True) == (
        "Aftercue",
        "You have an aftercare task due.",
    )


def test_a_traveller_gets_the_morning_reminder_in_their_new_morning():
    plan = scalp_nation_plan()
    home = plan_slots(due_list(plan), "Europe/London", None, None, GRACE)
    away = plan_slots(due_list(plan), "Europe/London", "Asia/Tokyo", None, GRACE)
    tokyo = ZoneInfo("Asia/Tokyo")
    morning = next(s for s in away if s.key == "2026-03-04|morning")
    assert morning.due_at.astimezone(tokyo).strftime("%Y-%m-%d %H:%M") == "2026-03-04 07:30"
    assert len(away) == len(home)  # nothing lost by flying east
    west = plan_slots(due_list(plan), "Europe/London", "America/Los_Angeles", None, GRACE)
    assert len(west) == len(home)  # nor west


def test_a_moment_keeps_its_instant_wherever_the_phone_is():
    tz = "Europe/London"
    plan = plan_for("smp-layering", tz, [local_session(tz, "2026-06-10T10:00")])
    (shower,) = [
        s for s in plan_slots(due_list(plan), tz, "Asia/Tokyo", None, GRACE) if s.slot == "moment"
    ]
    assert shower.due_at == datetime(2026, 6, 10, 6, 0, tzinfo=UTC)  # 07:00 BST


def test_quiet_hours_move_a_reminder_to_their_end_or_drop_it():
    tz = "Europe/London"
    plan = scalp_nation_plan()
    quiet = (time(21, 0), time(8, 0))
    slots = plan_slots(due_list(plan), tz, None, quiet, GRACE)
    day3 = {s.slot: s for s in slots if s.key.startswith("2026-03-04")}
    assert day3["morning"].due_at.astimezone(LONDON).strftime("%H:%M") == "08:00"
    assert "evening" not in day3  # 22:00 is quiet until 08:00, past the slot's window
    for slot in slots:
        local = slot.due_at.astimezone(LONDON).time()
        assert not (local >= time(21) or local < time(8))


@pytest.mark.parametrize(
    ("local", "quiet", "expected"),
    [
        ("2026-03-29 00:30", (time(23), time(7)), "2026-03-29 07:00"),  # DST night
        ("2026-03-29 22:30", (time(22), time(6)), "2026-03-30 06:00"),
        ("2026-03-29 12:00", (time(22), time(6)), "2026-03-29 12:00"),
        ("2026-03-29 12:00", (time(12), time(13)), "2026-03-29 13:00"),
        ("2026-03-29 12:00", (time(9), time(9)), "2026-03-29 12:00"),  # empty
    ],
)
def test_quiet_hours_across_midnight_and_dst(local, quiet, expected):
    due = datetime.fromisoformat(local).replace(tzinfo=LONDON).astimezone(UTC)
    moved = outside_quiet_hours(due, LONDON, quiet)
    assert moved.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") == expected


def test_a_dst_day_still_has_its_three_reminders_at_local_times():
    tz = "America/Los_Angeles"
    plan = plan_for("scalp-nation", tz, [local_session(tz, "2026-03-06T09:00")])  # day 3 is 8 March
    slots = [
        s
        for s in plan_slots(due_list(plan), tz, None, None, GRACE)
        if s.key.startswith("2026-03-08")
    ]
    la = ZoneInfo(tz)
    assert [s.due_at.astimezone(la).strftime("%H:%M %Z") for s in slots] == [
        "07:30 PDT",
        "14:45 PDT",
        "22:00 PDT",
    ]


def test_topics_are_short_stable_and_per_client():
    assert topic(1, "2026-03-04|morning") == topic(1, "2026-03-04|morning")
    assert topic(1, "2026-03-04|morning") != topic(2, "2026-03-04|morning")
    assert len(topic(1, "x")) <= 32 and topic(1, "x").replace("-", "a").replace("_", "a").isalnum()


def test_no_reminder_outlives_its_window():
    for slot in plan_slots(
        due_list(scalp_nation_plan()), "Europe/London", "Pacific/Auckland", None, GRACE
    ):
        assert slot.due_at < slot.expires_at <= slot.due_at + GRACE
    assert (
        date(2026, 3, 3)
        <= min(
            s.due_at
            for s in plan_slots(due_list(scalp_nation_plan()), "Europe/London", None, None, GRACE)
        ).date()
    )
