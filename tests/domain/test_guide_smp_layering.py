"""A clinic's SMP treatment page (seeds/004), as protocols/smp-layering.toml plans it.

The guide, in short: shower before each treatment, since the scalp can't be washed or wet
(sweating included) for four days after each appointment. Three to four sessions of four to
five hours, a few weeks apart; in the weeks between them no swimming, steam or sauna rooms,
or extremely hot showers. After the final treatment: no swimming, saunas or steam rooms for
28 days, out of the sun for 14 days (then SPF 30-50), no heavy exercise for five days.
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
    day,
    local,
    make_plan,
    midnight,
    milestone_dates,
    occurrences,
    restricted_at,
    utc,
    warnings,
    windows,
)

PROTOCOL = "smp-layering"


def plan_for(case: Case, **answers: str):
    return make_plan(PROTOCOL, case.tz, case.sessions(), **answers)


# Four sessions three weeks apart, then two: London (29 March) and Auckland (5 April)
# change their clocks between sessions, Los Angeles (8 March) too.
FOUR_SESSION_DATES = ("2026-03-02", "2026-03-23", "2026-04-13", "2026-04-27")


def four_session_plan(tz: str):
    return make_plan(PROTOCOL, tz, course(tz, *FOUR_SESSION_DATES))


def at(tz: str, when: str):
    return utc(local(tz, when))


# -- Before each session ----------------------------------------------------------------


@pytest.mark.parametrize("case", ONE_SESSION)
def test_shower_right_before_the_session(case):
    """'Shower before each treatment': within the 4 hours before it, not before the
    client is up (07:00)."""
    plan = plan_for(case)
    (shower,) = occurrences(plan, "prep-shower")
    up = at(case.tz, f"{case.start[:10]} 07:00")
    assert utc(shower.at) == max(case.starts - timedelta(hours=4), up)
    assert utc(shower.due_end) == case.starts


@pytest.mark.parametrize("tz", ZONES)
def test_shower_before_each_of_four_sessions(tz):
    plan = four_session_plan(tz)
    showers = occurrences(plan, "prep-shower")
    assert [o.date for o in showers] == [day(d) for d in FOUR_SESSION_DATES]
    assert [utc(o.at) for o in showers] == [at(tz, f"{d} 07:00") for d in FOUR_SESSION_DATES]
    assert [utc(o.due_end) for o in showers] == [at(tz, f"{d} 10:00") for d in FOUR_SESSION_DATES]


@pytest.mark.parametrize("tz", ZONES)
def test_what_a_course_looks_like_card_from_a_month_before_until_the_first_session_ends(tz):
    """'Each treatment typically takes between four and five hours'; 'three to four sessions'."""
    plan = four_session_plan(tz)
    assert [(utc(c.start), utc(c.end)) for c in cards(plan, "what-to-expect")] == [
        (utc(midnight(tz, "2026-01-31")), at(tz, "2026-03-02 14:00"))
    ]


# -- Four days after each session -------------------------------------------------------


@pytest.mark.parametrize("case", ONE_SESSION)
@pytest.mark.parametrize("restriction", ["no-water", "no-sweating"])
def test_no_washing_wetting_or_heavy_sweating_for_four_days_after_each_session(case, restriction):
    """'You will not be able to wash or wet your scalp (this includes sweating excessively)
    for four days after each appointment.'"""
    plan = plan_for(case)
    assert windows(plan, restriction) == [(case.ends, case.begins(5))]
    assert_lifts_at(plan, restriction, case.begins(5))
    assert milestone_dates(plan, restriction) == [case.day(5)]


@pytest.mark.parametrize("tz", ZONES)
def test_each_of_four_sessions_has_its_own_four_dry_days(tz):
    plan = four_session_plan(tz)
    ends = [at(tz, f"{d} 14:00") for d in FOUR_SESSION_DATES]
    day_5s = [utc(midnight(tz, day(d) + 4 * DAY)) for d in FOUR_SESSION_DATES]
    for restriction in ("no-water", "no-sweating"):
        assert windows(plan, restriction) == list(zip(ends, day_5s, strict=True))


# -- Between sessions -------------------------------------------------------------------


@pytest.mark.parametrize("tz", ZONES)
def test_no_swimming_steam_sauna_or_very_hot_showers_between_sessions(tz):
    """'In the weeks between treatments, do not go swimming, use steam or sauna rooms, or
    take extremely hot showers': from the end of the first session until the final one's
    four dry days are over. While the scalp must stay dry, that stricter rule shows alone."""
    plan = four_session_plan(tz)
    ends = [at(tz, f"{d} 14:00") for d in FOUR_SESSION_DATES]
    day_5s = [utc(midnight(tz, day(d) + 4 * DAY)) for d in FOUR_SESSION_DATES]
    assert windows(plan, "no-hot-showers") == list(zip(day_5s[:-1], ends[1:], strict=True))
    for between in ("2026-03-15 12:00", "2026-04-05 12:00", "2026-04-20 12:00"):
        assert restricted_at(plan, "no-hot-showers", local(tz, between))
        assert restricted_at(plan, "no-swimming", local(tz, between))
    assert windows(plan, "no-swimming") == [(ends[0], utc(midnight(tz, "2026-05-25")))]


@pytest.mark.parametrize("tz", ZONES)
def test_hot_showers_are_not_cleared_as_the_final_session_begins(tz):
    """The final session is followed by four days without wetting the scalp: 'hot showers
    are fine again' waits until the scalp may be washed at all, on day 5 after it, and
    never shows beside 'don't wash or wet your scalp'."""
    plan = four_session_plan(tz)
    final_starts, final_day_5 = at(tz, "2026-04-27 10:00"), utc(midnight(tz, "2026-05-01"))
    assert restricted_at(plan, "no-hot-showers", final_starts)  # still between sessions
    assert milestone_dates(plan, "no-hot-showers") == [day("2026-05-01")]
    assert milestone_dates(plan, "no-water")[-1] == day("2026-05-01")
    (lift,) = [m for m in plan.milestones if m.restriction_id == "no-hot-showers"]
    assert utc(lift.at) == final_day_5
    for shown in windows(plan, "no-hot-showers"):
        for dry in windows(plan, "no-water"):
            assert shown[1] <= dry[0] or dry[1] <= shown[0]


@pytest.mark.parametrize("case", ONE_SESSION)
def test_a_single_session_has_no_between_sessions_rules(case):
    plan = plan_for(case)
    assert windows(plan, "no-hot-showers") == []


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(("gap", "too_short"), [(7, True), (13, True), (14, False), (21, False)])
def test_treatments_a_few_weeks_apart(tz, gap, too_short):
    """'Treatments will be scheduled a few weeks apart': under two weeks gets a warning;
    the page sets no upper limit."""
    second = day("2026-03-02") + gap * DAY
    plan = make_plan(PROTOCOL, tz, course(tz, "2026-03-02", second.isoformat()))
    expected = [("spacing_too_short", second)] if too_short else []
    assert [(w.code, w.date) for w in warnings(plan)] == expected


@pytest.mark.parametrize("tz", ZONES)
def test_no_upper_limit_on_the_weeks_between_sessions(tz):
    plan = make_plan(PROTOCOL, tz, course(tz, "2026-03-02", "2026-06-01"))
    assert warnings(plan) == []


# -- After the final session ------------------------------------------------------------


@pytest.mark.parametrize("case", ONE_SESSION)
def test_swimming_28_days_sun_14_days_exercise_5_days_after_final_session(case):
    """'Avoid swimming, saunas, and steam rooms for 28 days after your final treatment';
    'keep out of the sun for 14 days'; 'avoid heavy exercise for five days'."""
    plan = plan_for(case)
    assert windows(plan, "no-swimming") == [(case.ends, case.begins(29))]
    assert windows(plan, "no-sun") == [(case.ends, case.begins(15))]
    assert windows(plan, "no-exercise") == [(case.ends, case.begins(6))]
    assert_lifts_at(plan, "no-swimming", case.begins(29))
    assert_lifts_at(plan, "no-sun", case.begins(15))
    assert_lifts_at(plan, "no-exercise", case.begins(6))
    assert milestone_dates(plan, "no-sun") == [case.day(15)]


@pytest.mark.parametrize("tz", ZONES)
def test_four_sessions_swimming_28_days_sun_14_days_exercise_5_days_after_final_session(tz):
    """The final session is on 27 April: swimming from 25 May, sun from 11 May, heavy
    exercise from 2 May; sun and exercise are not restricted between sessions."""
    plan = four_session_plan(tz)
    final_ends = at(tz, "2026-04-27 14:00")
    assert windows(plan, "no-sun") == [(final_ends, utc(midnight(tz, "2026-05-11")))]
    assert windows(plan, "no-exercise") == [(final_ends, utc(midnight(tz, "2026-05-02")))]
    assert_lifts_at(plan, "no-swimming", midnight(tz, "2026-05-25"))
    assert milestone_dates(plan, "no-swimming") == [day("2026-05-25")]
    for restriction in ("no-sun", "no-exercise"):
        assert not restricted_at(plan, restriction, local(tz, "2026-04-05 12:00"))
    assert warnings(plan) == []
