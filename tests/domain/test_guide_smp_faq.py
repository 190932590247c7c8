"""A clinic's SMP questions-and-answers page (seeds/003), as protocols/smp-faq.toml plans it.

The guide, in short: shower before the initial treatment, because the scalp stays dry for
the next 4 days. Colour your hair 1-2 weeks before, then not until 3 weeks after treatment.
For the first 4 days after each treatment: no showering the head, no heavy sweating, no
haircut, no shampoo or moisturiser; normal showers after the first week. Sessions normally
5-7 days apart; between them no swimming, sauna, steam room or sun. After the final one:
28 days without swimming, sauna, steam room or sun (then SPF 30-50), 5 days without heavy
exercise. Moisturise at least once a day once the first 4 days are over.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from .guide_helpers import (
    DAY,
    ONE_SESSION,
    ZONES,
    Case,
    assert_lifts_at,
    cards,
    course,
    date_range,
    dates_of,
    day,
    local,
    make_plan,
    midnight,
    milestone_dates,
    occurrences,
    per_day,
    restricted_at,
    utc,
    wall_times_on,
    warnings,
    windows,
)

PROTOCOL = "smp-faq"
FIRST_FOUR_DAYS = ["no-water", "no-sweating", "no-haircut", "no-products"]


def plan_for(case: Case, **answers: str):
    return make_plan(PROTOCOL, case.tz, case.sessions(), **answers)


# Four sessions 7, 6 and 7 days apart: Los Angeles changes its clocks between the first
# two (8 March); London (29 March) and Auckland (5 April) within the final 28 days.
FOUR_SESSION_DATES = ("2026-03-02", "2026-03-09", "2026-03-15", "2026-03-22")


def four_session_plan(tz: str, **answers: str):
    return make_plan(PROTOCOL, tz, course(tz, *FOUR_SESSION_DATES), **answers)


def session_ends(tz: str) -> list:
    return [utc(local(tz, f"{d} 14:00")) for d in FOUR_SESSION_DATES]


# -- Preparing ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", ONE_SESSION)
def test_shower_right_before_the_initial_treatment(case):
    """'Please shower prior to your initial treatment': within the 4 hours before it,
    but not before the client is up (07:00)."""
    plan = plan_for(case)
    (shower,) = occurrences(plan, "prep-shower")
    up = utc(local(case.tz, f"{case.start[:10]} 07:00"))
    assert utc(shower.at) == max(case.starts - timedelta(hours=4), up)
    assert utc(shower.due_end) == case.starts


@pytest.mark.parametrize("tz", ZONES)
def test_shower_before_the_first_session_only(tz):
    """The page asks for a shower before the initial treatment, not before the others."""
    plan = four_session_plan(tz)
    (shower,) = occurrences(plan, "prep-shower")
    assert shower.date == day("2026-03-02")
    assert wall_times_on(plan, "2026-03-02", "prep-shower") == ["07:00"]
    assert utc(shower.due_end) == utc(local(tz, "2026-03-02 10:00"))


@pytest.mark.parametrize("tz", ZONES)
def test_colour_hair_one_to_two_weeks_before_the_first_session(tz):
    """'If you color your hair, please do so 1-2 weeks prior to your initial treatment':
    the reminder opens 14 days before the 20 March session and is due by 7 days before."""
    plan = make_plan(PROTOCOL, tz, course(tz, "2026-03-20"), colours_hair="yes")
    (colour,) = occurrences(plan, "prep-colour")
    assert colour.date == day("2026-03-06")
    assert utc(colour.at) == utc(local(tz, "2026-03-06 07:00"))
    assert utc(colour.due_end) == utc(midnight(tz, "2026-03-14"))


@pytest.mark.parametrize("tz", ZONES)
def test_no_colouring_in_the_last_week_before_until_3_weeks_after_treatment(tz):
    """Colouring is for 1-2 weeks before; 'you will not be able to color your hair until
    3 weeks after treatment': from 6 days before the 20 March session to 10 April."""
    plan = make_plan(PROTOCOL, tz, course(tz, "2026-03-20"), colours_hair="yes")
    banned_from, lifted = midnight(tz, "2026-03-14"), midnight(tz, "2026-04-10")
    assert windows(plan, "no-colouring") == [(utc(banned_from), utc(lifted))]
    assert not restricted_at(plan, "no-colouring", banned_from - timedelta(seconds=1))
    assert_lifts_at(plan, "no-colouring", lifted)
    assert milestone_dates(plan, "no-colouring") == [day("2026-04-10")]


@pytest.mark.parametrize("tz", ZONES)
def test_four_sessions_no_colouring_until_3_weeks_after_the_last_one(tz):
    plan = four_session_plan(tz, colours_hair="yes")
    assert windows(plan, "no-colouring") == [
        (utc(midnight(tz, "2026-02-24")), utc(midnight(tz, "2026-04-12")))
    ]
    (colour,) = occurrences(plan, "prep-colour")
    assert colour.date == day("2026-02-16")


@pytest.mark.parametrize("tz", ZONES)
def test_clients_who_do_not_colour_get_no_colouring_rules(tz):
    plan = four_session_plan(tz, colours_hair="no")
    assert windows(plan, "no-colouring") == []
    assert occurrences(plan, "prep-colour") == []


@pytest.mark.parametrize("tz", ZONES)
def test_mri_card_in_the_three_weeks_before_the_first_session(tz):
    """'If you have an MRI scheduled within your date of treatment, please reschedule.'"""
    plan = four_session_plan(tz)
    assert [(utc(c.start), utc(c.end)) for c in cards(plan, "mri")] == [
        (utc(midnight(tz, "2026-02-09")), utc(local(tz, "2026-03-02 10:00")))
    ]


# -- The first 4 days after each session ------------------------------------------------


@pytest.mark.parametrize("case", ONE_SESSION)
@pytest.mark.parametrize("restriction", FIRST_FOUR_DAYS)
def test_no_shower_sweat_haircut_shampoo_or_moisturiser_for_the_first_4_days(case, restriction):
    """'For the first 4 days after treatment': avoid showering your head and heavy sweating,
    do NOT cut your hair, do NOT use any shampoo or moisturizer."""
    plan = plan_for(case)
    assert windows(plan, restriction) == [(case.ends, case.begins(5))]
    assert_lifts_at(plan, restriction, case.begins(5))
    assert milestone_dates(plan, restriction) == [case.day(5)]


@pytest.mark.parametrize("case", ONE_SESSION)
def test_shave_the_head_once_the_initial_four_days_have_passed(case):
    """'Once the initial four days post treatment has passed, you can now shave your head.'"""
    plan = plan_for(case)
    assert restricted_at(plan, "no-haircut", case.begins(5) - timedelta(seconds=1))
    assert not restricted_at(plan, "no-haircut", case.begins(5))
    assert [(utc(c.start), c.end) for c in cards(plan, "hair-length")] == [(case.begins(5), None)]


@pytest.mark.parametrize("case", ONE_SESSION)
def test_gentle_showers_from_day_5_and_normal_showers_after_the_first_week(case):
    """'Avoid showering your head for the first 4 days ... After the first week you can
    start to shower normally again.'"""
    plan = plan_for(case)
    assert windows(plan, "gentle-showers") == [(case.begins(5), case.begins(8))]
    assert_lifts_at(plan, "gentle-showers", case.begins(8))
    assert milestone_dates(plan, "gentle-showers") == [case.day(8)]


@pytest.mark.parametrize("tz", ZONES)
def test_five_days_apart_the_next_dry_days_replace_the_gentle_showers(tz):
    """'Avoid showering your head' for the first 4 days; 'after the first week you can
    start to shower normally again'; the next session 'normally 5-7 days after'. Session 2
    on day 5 of session 1: session 1's gentle showers last only until session 2 ends, then
    session 2's no-shower days stand alone, never beside them; its own gentle showers
    follow on its day 5."""
    plan = make_plan(PROTOCOL, tz, course(tz, "2026-03-02", "2026-03-07"))
    s2_ends = utc(local(tz, "2026-03-07 14:00"))
    assert windows(plan, "gentle-showers") == [
        (utc(midnight(tz, "2026-03-06")), s2_ends),
        (utc(midnight(tz, "2026-03-11")), utc(midnight(tz, "2026-03-14"))),
    ]
    assert windows(plan, "no-water")[-1] == (s2_ends, utc(midnight(tz, "2026-03-11")))
    for shown in windows(plan, "gentle-showers"):
        for dry in windows(plan, "no-water"):
            assert shown[1] <= dry[0] or dry[1] <= shown[0]
    assert milestone_dates(plan, "gentle-showers") == [day("2026-03-14")]
    assert milestone_dates(plan, "no-water") == [day("2026-03-06"), day("2026-03-11")]


@pytest.mark.parametrize("case", ONE_SESSION)
def test_moisturise_at_least_once_a_day_from_day_5_to_day_28(case):
    """'Begin to regularly moisturize the treated area once the initial 4 days post
    treatment have passed', 'at least once a day': every morning of the 28 days of care."""
    plan = plan_for(case)
    assert per_day(plan, "moisturise") == dict.fromkeys(case.days(5, 28), 1)
    assert {wall_times_on(plan, d, "moisturise")[0] for d in case.days(5, 28)} == {"07:30"}
    assert min(utc(o.at) for o in occurrences(plan, "moisturise")) >= case.begins(5)


@pytest.mark.parametrize("case", ONE_SESSION)
def test_redness_card_for_a_couple_of_days(case):
    """'There will be some redness for a couple of days.'"""
    plan = plan_for(case)
    assert [(utc(c.start), utc(c.end)) for c in cards(plan, "redness")] == [
        (case.ends, case.begins(4))
    ]


# -- After the final session ------------------------------------------------------------


@pytest.mark.parametrize("case", ONE_SESSION)
def test_swimming_and_sun_28_days_and_heavy_exercise_5_days_after_the_final_session(case):
    """'Avoid swimming/saunas and steam rooms for 28 days after your final treatment',
    'keep out of the sun for 28 days', 'avoid heavy exercise for 5 days'."""
    plan = plan_for(case)
    assert windows(plan, "no-swimming") == [(case.ends, case.begins(29))]
    assert windows(plan, "no-sun") == [(case.ends, case.begins(29))]
    assert windows(plan, "no-exercise") == [(case.ends, case.begins(6))]
    assert_lifts_at(plan, "no-swimming", case.begins(29))
    assert_lifts_at(plan, "no-sun", case.begins(29))
    assert_lifts_at(plan, "no-exercise", case.begins(6))
    assert [(utc(c.start), c.end) for c in cards(plan, "touch-ups")] == [(case.begins(29), None)]


@pytest.mark.parametrize("tz", ZONES)
def test_swim_and_sun_28_days_and_exercise_5_days_count_from_the_final_of_four_sessions(tz):
    plan = four_session_plan(tz)
    final_ends = session_ends(tz)[-1]
    assert windows(plan, "no-exercise") == [(final_ends, utc(midnight(tz, "2026-03-27")))]
    assert_lifts_at(plan, "no-swimming", midnight(tz, "2026-04-19"))
    assert_lifts_at(plan, "no-sun", midnight(tz, "2026-04-19"))
    assert milestone_dates(plan, "no-sun") == [day("2026-04-19")]
    assert [(utc(c.start), c.end) for c in cards(plan, "touch-ups")] == [
        (utc(midnight(tz, "2026-04-19")), None)
    ]


# -- Between sessions -------------------------------------------------------------------


@pytest.mark.parametrize("tz", ZONES)
def test_no_swimming_sauna_or_sun_between_sessions(tz):
    """'Between treatments you should NOT go swimming, NOT use steam or sauna rooms, keep
    OUT of the sun': one unbroken ban from the first session to 28 days after the last."""
    plan = four_session_plan(tz)
    first_ends = session_ends(tz)[0]
    for restriction in ("no-swimming", "no-sun"):
        assert windows(plan, restriction) == [(first_ends, utc(midnight(tz, "2026-04-19")))]
        assert restricted_at(plan, restriction, local(tz, "2026-03-08 12:00"))
    # Heavy exercise is only limited for 5 days after the final session.
    assert not restricted_at(plan, "no-exercise", local(tz, "2026-03-08 12:00"))


@pytest.mark.parametrize("tz", ZONES)
def test_each_of_four_sessions_has_its_own_first_4_days(tz):
    plan = four_session_plan(tz)
    day_5s = [
        utc(midnight(tz, d)) for d in ("2026-03-06", "2026-03-13", "2026-03-19", "2026-03-26")
    ]
    for restriction in FIRST_FOUR_DAYS:
        assert windows(plan, restriction) == list(zip(session_ends(tz), day_5s, strict=True))


@pytest.mark.parametrize("tz", ZONES)
def test_moisturise_daily_from_day_5_until_the_next_session_then_to_day_28(tz):
    """Once a day from day 5 of each session until the next session starts (its own
    morning included: the session is at 10:00), then days 5 to 28 after the final one."""
    plan = four_session_plan(tz)
    assert dates_of(plan, "moisturise") == [
        *date_range("2026-03-06", "2026-03-09"),
        *date_range("2026-03-13", "2026-03-15"),
        *date_range("2026-03-19", "2026-03-22"),
        *date_range("2026-03-26", "2026-04-18"),
    ]
    assert set(per_day(plan, "moisturise").values()) == {1}


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(
    ("gap", "warning"),
    [
        (4, "spacing_too_short"),
        (5, None),
        (6, None),
        (7, None),
        (8, "spacing_too_long"),
        (14, "spacing_too_long"),
    ],
)
def test_next_session_normally_5_to_7_days_after_the_previous_one(tz, gap, warning):
    """'Subsequent treatments will normally take place 5-7 days after the initial one.'"""
    second = day("2026-03-02") + gap * DAY
    plan = make_plan(PROTOCOL, tz, course(tz, "2026-03-02", second.isoformat()))
    expected = [(warning, second)] if warning else []
    assert [(w.code, w.date) for w in warnings(plan)] == expected
    if warning:
        assert f"{gap} days after the previous one" in warnings(plan)[0].message


@pytest.mark.parametrize("tz", ZONES)
def test_four_sessions_a_week_apart_raise_no_warning(tz):
    assert warnings(four_session_plan(tz)) == []
