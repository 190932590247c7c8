"""Scalp Nation's aftercare & healing guide (seeds/000), as protocols/scalp-nation.toml plans it.

The guide, in short: for the first 24 hours nothing touches the scalp (no products, no
shower, no sun, no sweat, no shaving). From 24 hours on, for days 2 to 4, cleanse and then
balm two to three times a day, never balm without cleansing first; still no touching,
shower, sun or sweat. Shave again from day 5. After the final session: no swimming, sauna
or steam room for a month, no heavy exercise for 14 days, no direct sun for 30 days.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest

from .guide_helpers import (
    ONE_SESSION,
    TWENTY_FOUR_HOURS_LATER,
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
    occurrences_on,
    per_day,
    restricted_at,
    session,
    utc,
    wall_times_on,
    warnings,
    windows,
)

PROTOCOL = "scalp-nation"
PRODUCT_TASKS = {"cleanse", "balm"}


def one_calendar_month_after(start: date) -> date:
    year, month = start.year + start.month // 12, start.month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def plan_for(case: Case, **answers: str):
    return make_plan(PROTOCOL, case.tz, case.sessions(), **answers)


# A four-session course ten days apart, crossing the 2026 spring clock changes of
# Los Angeles (8 March) and London (29 March) and, after the final session, Auckland's
# autumn one (5 April).
FOUR_SESSION_DATES = ("2026-03-02", "2026-03-12", "2026-03-22", "2026-04-01")


def four_session_plan(tz: str):
    return make_plan(PROTOCOL, tz, course(tz, *FOUR_SESSION_DATES))


# -- Within the first 24 hours ---------------------------------------------------------


@pytest.mark.parametrize("case", ONE_SESSION)
def test_no_products_on_the_scalp_for_the_first_24_hours(case):
    """'Do not apply any products' within the first 24 hours after the session."""
    plan = plan_for(case)
    twenty_four_hours = case.ends + timedelta(hours=24)
    assert windows(plan, "no-products") == [(case.ends, twenty_four_hours)]
    assert_lifts_at(plan, "no-products", twenty_four_hours)


@pytest.mark.parametrize("case", ONE_SESSION)
def test_no_product_task_in_the_first_24_hours(case):
    """No cleanse or balm is planned before 24 hours have passed since the session ended."""
    plan = plan_for(case)
    product_times = [utc(o.at) for o in plan.occurrences if o.task_id in PRODUCT_TASKS]
    assert product_times
    assert min(product_times) >= case.ends + timedelta(hours=24)
    assert not occurrences_on(plan, case.day(1), "cleanse")


@pytest.mark.parametrize(("tz", "session_day", "lifted_wall_clock"), TWENTY_FOUR_HOURS_LATER)
def test_the_first_24_hours_are_real_hours_across_a_clock_change(
    tz, session_day, lifted_wall_clock
):
    """24 hours after a 14:00 finish is 15:00 the next day when the clocks go forward,
    13:00 when they go back; the first cleanse of day 2 waits for it (midday is 14:45)."""
    plan = make_plan(PROTOCOL, tz, [session(tz, f"{session_day} 10:00", "14:00")])
    lifted = local(tz, lifted_wall_clock)
    assert_lifts_at(plan, "no-products", lifted)
    day_2 = lifted.date()
    first_cleanse = max(lifted_wall_clock[-5:], "14:45")
    assert wall_times_on(plan, day_2, "cleanse") == [first_cleanse, "22:00"]
    assert wall_times_on(plan, day_2, "balm") == [first_cleanse, "22:00"]


@pytest.mark.parametrize("case", ONE_SESSION)
@pytest.mark.parametrize("restriction", ["no-touching", "no-water", "no-sweating", "no-sun"])
def test_no_touching_shower_sun_or_sweating_from_the_moment_the_session_ends(case, restriction):
    """The first-24-hours list (touching, shower, sun, sweat) applies straight after the session."""
    plan = plan_for(case)
    assert windows(plan, restriction)[0][0] == case.ends
    assert restricted_at(plan, restriction, case.ends)
    assert not restricted_at(plan, restriction, case.starts - timedelta(seconds=1))


# -- Days 2 to 4 -----------------------------------------------------------------------


@pytest.mark.parametrize("case", ONE_SESSION)
def test_days_2_to_4_have_two_to_three_cleanse_then_balm_slots(case):
    """'For the subsequent 72 hour period, cleanse ... and apply balm two to three times daily.'"""
    plan = plan_for(case)
    cleanses = per_day(plan, "cleanse")
    assert list(cleanses) == case.days(2, 4)
    assert all(2 <= count <= 3 for count in cleanses.values())
    # Two a day are the minimum; a third, when there is room, is optional.
    assert list(per_day(plan, "cleanse", required_only=True).values()) == [2, 2, 2]
    assert per_day(plan, "balm") == cleanses
    assert warnings(plan) == []


@pytest.mark.parametrize("tz", ZONES)
def test_cleanse_morning_midday_and_evening_with_the_midday_one_optional(tz):
    """Two to three a day: morning and evening always, midday as the optional third.
    A 10:00-14:00 session leaves day 2 only midday and evening, both then required."""
    plan = make_plan(PROTOCOL, tz, course(tz, "2026-06-10"))
    day_2 = occurrences_on(plan, "2026-06-11", "cleanse")
    assert wall_times_on(plan, "2026-06-11", "cleanse") == ["14:45", "22:00"]
    assert [o.optional for o in day_2] == [False, False]
    for later_day in ("2026-06-12", "2026-06-13"):
        found = sorted(occurrences_on(plan, later_day, "cleanse"), key=lambda o: utc(o.at))
        assert wall_times_on(plan, later_day, "cleanse") == ["07:30", "14:45", "22:00"]
        assert [o.slot for o in found] == ["morning", "midday", "evening"]
        assert [o.optional for o in found] == [False, True, False]
    assert dates_of(plan, "cleanse") == date_range("2026-06-11", "2026-06-13")


@pytest.mark.parametrize("case", ONE_SESSION)
def test_balm_always_follows_the_cleanse_of_its_slot(case):
    """'Never apply the balm without cleansing first': one balm right after every cleanse."""
    plan = plan_for(case)
    cleanses = {o.id: o for o in occurrences(plan, "cleanse")}
    balms = occurrences(plan, "balm")
    assert sorted(balm.follows for balm in balms) == sorted(cleanses)
    order = [o.id for o in plan.occurrences]
    for balm in balms:
        cleanse = cleanses[balm.follows]
        assert (balm.date, balm.slot, utc(balm.at)) == (cleanse.date, cleanse.slot, utc(cleanse.at))
        assert balm.optional == cleanse.optional
        assert order.index(cleanse.id) < order.index(balm.id)


@pytest.mark.parametrize("case", ONE_SESSION)
@pytest.mark.parametrize("restriction", ["no-touching", "no-water", "no-sweating"])
def test_no_touching_showering_or_heavy_sweating_for_96_hours(case, restriction):
    """'For the subsequent 72 hour period ... you still need to continue to avoid touching
    the area, showering the area, avoiding sunlight and avoid excess sweating': 24 hours
    plus 72, counted in real hours, so a session ending 14:00 keeps them until 14:00 on day
    5, not the midnight before (and a clock change does not shorten them). The sun, which
    also waits a month after the final session, is checked on a course below."""
    plan = plan_for(case)
    lifts = case.ends + timedelta(hours=96)
    assert windows(plan, restriction) == [(case.ends, lifts)]
    assert_lifts_at(plan, restriction, lifts)
    assert milestone_dates(plan, restriction) == [case.day(5)]


@pytest.mark.parametrize("case", ONE_SESSION)
def test_shaving_only_from_day_5(case):
    """'Please do not shave the area until day 5.'"""
    plan = plan_for(case)
    assert windows(plan, "no-shaving") == [(case.ends, case.begins(5))]
    assert_lifts_at(plan, "no-shaving", case.begins(5))
    assert milestone_dates(plan, "no-shaving") == [case.day(5)]


@pytest.mark.parametrize("tz", ["Asia/Dubai", "Europe/London"])
def test_a_late_evening_session_leaves_room_for_one_cleanse_on_day_2_and_the_plan_says_so(tz):
    """Two cleanses a day is the guide's minimum: when the first 24 hours end at 21:00,
    only the 22:00 one fits on day 2, and the plan warns instead of hiding it."""
    plan = make_plan(PROTOCOL, tz, [session(tz, "2026-06-10 16:00", "21:00")])
    assert wall_times_on(plan, "2026-06-11", "cleanse") == ["22:00"]
    assert [(w.code, w.date) for w in warnings(plan)] == [("task_short", day("2026-06-11"))]
    assert list(per_day(plan, "cleanse").values()) == [1, 3, 3]


# -- After the final session -----------------------------------------------------------


@pytest.mark.parametrize("case", ONE_SESSION)
def test_swimming_one_month_exercise_14_days_sun_30_days_after_final_session(case):
    """One month without swimming, sauna or steam room (31 days, never shorter than a
    calendar month), 14 days without heavy exercise, 30 days out of direct sunlight."""
    plan = plan_for(case)
    assert windows(plan, "no-swimming") == [(case.ends, case.begins(32))]
    assert windows(plan, "no-exercise") == [(case.ends, case.begins(15))]
    assert windows(plan, "no-sun") == [(case.ends, case.begins(31))]
    assert_lifts_at(plan, "no-swimming", case.begins(32))
    assert_lifts_at(plan, "no-exercise", case.begins(15))
    assert_lifts_at(plan, "no-sun", case.begins(31))
    assert case.day(32) >= one_calendar_month_after(case.day(1))


@pytest.mark.parametrize("tz", ZONES)
def test_four_sessions_swimming_one_month_exercise_14_days_sun_30_days_after_final_session(tz):
    """A four-session client: the long bans count from the final session (1 April)."""
    plan = four_session_plan(tz)
    final_ends = utc(local(tz, "2026-04-01 14:00"))
    assert windows(plan, "no-swimming") == [(final_ends, utc(midnight(tz, "2026-05-02")))]
    assert windows(plan, "no-exercise") == [(final_ends, utc(midnight(tz, "2026-04-15")))]
    assert windows(plan, "no-sun")[-1] == (final_ends, utc(midnight(tz, "2026-05-01")))
    assert milestone_dates(plan, "no-swimming") == [day("2026-05-02")]
    assert milestone_dates(plan, "no-exercise") == [day("2026-04-15")]


@pytest.mark.parametrize("tz", ZONES)
def test_four_sessions_each_get_their_own_first_24_hours_and_days_2_to_4(tz):
    """Every session restarts the guide: 24 product-free hours, cleanse and balm on days
    2 to 4, no shaving, touching, showering, sun or sweating until its day 5."""
    plan = four_session_plan(tz)
    cleanse_days = [
        *date_range("2026-03-03", "2026-03-05"),
        *date_range("2026-03-13", "2026-03-15"),
        *date_range("2026-03-23", "2026-03-25"),
        *date_range("2026-04-02", "2026-04-04"),
    ]
    assert dates_of(plan, "cleanse") == cleanse_days
    assert dates_of(plan, "balm") == cleanse_days
    assert set(per_day(plan, "cleanse", required_only=True).values()) == {2}
    session_ends = [utc(local(tz, f"{d} 14:00")) for d in FOUR_SESSION_DATES]
    day_5s = [
        utc(midnight(tz, d)) for d in ("2026-03-06", "2026-03-16", "2026-03-26", "2026-04-05")
    ]
    assert windows(plan, "no-products") == [
        (end, end + timedelta(hours=24)) for end in session_ends
    ]
    assert windows(plan, "no-shaving") == list(zip(session_ends, day_5s, strict=True))
    hours_96 = [end + timedelta(hours=96) for end in session_ends]
    for restriction in ("no-touching", "no-water", "no-sweating"):
        assert windows(plan, restriction) == list(zip(session_ends, hours_96, strict=True))
    # Out of the sun for 96 hours after each session, then 30 days after the final one.
    assert windows(plan, "no-sun") == [
        *zip(session_ends[:3], hours_96[:3], strict=True),
        (session_ends[3], utc(midnight(tz, "2026-05-01"))),
    ]
    assert warnings(plan) == []


@pytest.mark.parametrize("tz", ZONES)
def test_swimming_and_heavy_exercise_are_only_banned_after_the_final_session(tz):
    """The guide ties the month without pools and the 14 days without the gym to the
    final session; between sessions, once day 4 is over, neither is restricted."""
    plan = four_session_plan(tz)
    between_sessions = local(tz, "2026-03-08 12:00")  # day 7 after the first session
    assert not restricted_at(plan, "no-swimming", between_sessions)
    assert not restricted_at(plan, "no-exercise", between_sessions)
    assert not restricted_at(plan, "no-sweating", between_sessions)
    assert not restricted_at(plan, "no-swimming", local(tz, "2026-04-01 09:59"))


# -- What to know ----------------------------------------------------------------------


@pytest.mark.parametrize("case", ONE_SESSION)
def test_redness_card_from_the_session_until_day_2_is_over(case):
    """'Redness and swelling ... usually subsides within 24 hours.'"""
    plan = plan_for(case)
    assert [(utc(c.start), utc(c.end)) for c in cards(plan, "redness")] == [
        (case.ends, case.begins(3))
    ]


@pytest.mark.parametrize("case", ONE_SESSION)
def test_keep_hair_short_from_day_5_onwards(case):
    """'Day 5 and onwards': have the hair cut or shaved every 1-2 days."""
    plan = plan_for(case)
    assert [(utc(c.start), c.end) for c in cards(plan, "keep-it-short")] == [(case.begins(5), None)]
    assert [(c.start, c.end) for c in cards(plan, "call-the-clinic")] == [(None, None)]


@pytest.mark.parametrize("hair_length", ["short", "long"])
def test_the_guide_is_the_same_for_every_hair_length(hair_length):
    """Nothing in the guide depends on how the client wears their hair."""
    tz = "Europe/London"
    shaved = make_plan(PROTOCOL, tz, course(tz, *FOUR_SESSION_DATES))
    other = make_plan(PROTOCOL, tz, course(tz, *FOUR_SESSION_DATES), hair_length=hair_length)
    assert other.occurrences == shaved.occurrences
    assert other.restrictions == shaved.restrictions
    assert other.milestones == shaved.milestones
