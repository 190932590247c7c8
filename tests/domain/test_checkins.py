"""Check-ins in the plan (one a day, in their slot, on their days) and the red-flag rule."""

from datetime import date, time

import pytest

from server.domain.checkins import CHECKIN_TASK, raised

from .plan_fixtures import loaded, local_session, plan_for


def checkins(plan):
    return [o for o in plan.occurrences if o.task_id == CHECKIN_TASK]


@pytest.mark.parametrize("tz", ["Europe/London", "Asia/Dubai", "America/Los_Angeles"])
def test_one_evening_checkin_on_days_1_to_7_after_each_session(tz):
    # London's clocks go forward on 29 March, inside the first week.
    sessions = [
        local_session(tz, "2026-03-25T10:00", key="a"),
        local_session(tz, "2026-04-20T10:00", key="b"),
    ]
    plan = plan_for("smp-layering", tz, sessions, wake=time(7), bed=time(23))
    found = checkins(plan)
    days = [o.date for o in found]
    week = [date(2026, 3, 25 + n) for n in range(7)] + [date(2026, 4, 20 + n) for n in range(7)]
    assert days == week
    for occurrence in found:
        assert occurrence.slot == "evening" and occurrence.optional
        assert occurrence.at.tzinfo is not None and occurrence.at.date() == occurrence.date
        assert time(17) <= occurrence.at.timetz().replace(tzinfo=None) <= time(23)


def test_a_protocol_without_a_checkin_places_none():
    from dataclasses import replace

    from server.domain.plan import Profile, build_plan

    protocol = replace(loaded("smp-faq").protocol, checkin=None)
    plan = build_plan(protocol, Profile("UTC"), [local_session("UTC", "2026-03-25T10:00")], "x")
    assert checkins(plan) == []


FLAGS = loaded("smp-faq").protocol.checkin.red_flags
CALM = {
    "redness": "fading",
    "swelling": "no",
    "oozing": "none",
    "pain": 2,
    "fever": "no",
    "itching": "yes",
}


@pytest.mark.parametrize(
    ("change", "day", "expected"),
    [
        ({}, 1, []),
        ({"oozing": "pus"}, 1, ["pus"]),
        ({"fever": "yes"}, 7, ["fever"]),
        ({"pain": 6}, 2, []),
        ({"pain": 7}, 2, ["strong-pain"]),
        ({"redness": "spreading"}, 3, []),
        ({"redness": "spreading"}, 4, ["spreading-redness"]),
        ({"oozing": "pus", "pain": 10}, 5, ["pus", "strong-pain"]),
    ],
)
def test_red_flags(change, day, expected):
    assert raised(FLAGS, {**CALM, **change}, day) == expected


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**CALM, "mood": "ok"}, "unknown question(s): mood"),
        ({k: v for k, v in CALM.items() if k != "pain"}, "unanswered: pain"),
        ({**CALM, "pain": 11}, "pain: 11 is not a whole number from 0 to 10"),
        ({**CALM, "pain": True}, "pain: True is not a whole number"),
        ({**CALM, "fever": "maybe"}, "fever: 'maybe' is not one of no, yes"),
    ],
)
def test_answers_are_checked(answers, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        loaded("smp-faq").protocol.checkin.check_answers(answers)
