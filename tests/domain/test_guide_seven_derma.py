"""7 Derma's 'scalp care before and after SMP' article (seeds/002), as protocols/seven-derma.toml
plans it.

The guide, in short. Before the first session: exfoliate in the shower from 10 days before
(7 to 10), then oil a balding scalp; long hair gets a nightly oil mask before the morning
shower instead. Stop minoxidil, sprays, creams, serums and hair treatments 10 days before
until two weeks after the last session. No sun, ever. Right before each session: shave and
wash (short hair) or wash thoroughly (long hair). After each session: hands off for 24 hours,
no water for four days, then lukewarm water washes morning and evening; no shampoo for seven
days, then baby shampoo. Shaved scalps oil twice a day from one day after; long hair oils
nightly from day 8. No sweating for the whole course, until two weeks after the last session.
Men may come back after 7 days, women after at least 2 to 3 weeks.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from .guide_helpers import (
    DAY,
    ONE_SESSION,
    PAST_MIDNIGHT,
    TWENTY_FOUR_HOURS_LATER,
    ZONES,
    Case,
    assert_lifts_at,
    cards,
    course,
    date_range,
    dates_of,
    day,
    held,
    local,
    make_plan,
    midnight,
    milestone_dates,
    occurrences,
    per_day,
    protocol,
    restricted_at,
    session,
    utc,
    wall_times_on,
    warnings,
    windows,
)

PROTOCOL = "seven-derma"
TWICE_A_DAY = ["07:30", "22:00"]  # morning and evening for the default 07:00-23:00 day


def plan_for(case: Case, **answers: str):
    return make_plan(PROTOCOL, case.tz, case.sessions(), **answers)


# First sessions whose ten days of preparation cross a clock change (none in Dubai).
FIRST_SESSIONS = [
    pytest.param("Asia/Dubai", "2026-03-12", id="dubai"),
    pytest.param("America/Los_Angeles", "2026-03-12", id="los-angeles-dst-starts"),
    pytest.param("Europe/London", "2026-04-02", id="london-bst-starts"),
    pytest.param("Europe/London", "2026-10-30", id="london-bst-ends"),
    pytest.param("Pacific/Auckland", "2026-04-10", id="auckland-nzdt-ends"),
    pytest.param("Pacific/Auckland", "2026-10-01", id="auckland-nzdt-starts"),
]

# A woman's four sessions two weeks apart, crossing the spring changes of Los Angeles
# (8 March) and London (29 March) and Auckland's autumn one (5 April).
WOMAN_DATES = ("2026-03-02", "2026-03-16", "2026-03-30", "2026-04-13")
# A man's four sessions a week apart.
MAN_DATES = ("2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23")


# -- Before the first session ------------------------------------------------------------


@pytest.mark.parametrize(("tz", "first"), FIRST_SESSIONS)
@pytest.mark.parametrize("hair_length", ["shaved", "short", "long"])
def test_exfoliate_every_morning_from_10_days_before_the_first_session(tz, first, hair_length):
    """'From 7 to 10 days before your first SMP session, start to exfoliate your scalp
    when showering' (all hair lengths): once every morning, the last the day before."""
    first_day = day(first)
    plan = make_plan(PROTOCOL, tz, course(tz, first), hair_length=hair_length)
    expected = date_range(first_day - 10 * DAY, first_day - DAY)
    assert per_day(plan, "prep-exfoliate") == dict.fromkeys(expected, 1)
    assert {t for d in expected for t in wall_times_on(plan, d, "prep-exfoliate")} == {"07:30"}


@pytest.mark.parametrize("tz", ZONES)
def test_the_ten_day_preparation_is_only_before_the_first_session(tz):
    """Exfoliating, oiling and the oil mask are pre-care for the first session only."""
    first_day = day(WOMAN_DATES[0])
    for hair_length, task in (("shaved", "prep-oil"), ("long", "prep-oil-mask")):
        plan = make_plan(
            PROTOCOL, tz, course(tz, *WOMAN_DATES), gender="woman", hair_length=hair_length
        )
        assert dates_of(plan, "prep-exfoliate") == date_range(first_day - 10 * DAY, first_day - DAY)
        assert max(dates_of(plan, task)) < first_day


@pytest.mark.parametrize(("tz", "first"), FIRST_SESSIONS)
@pytest.mark.parametrize("hair_length", ["shaved", "short"])
def test_balding_scalps_oil_straight_after_each_pre_care_exfoliation(tz, first, hair_length):
    """'After exfoliation, please apply natural oils' (balding and short scalps)."""
    plan = make_plan(PROTOCOL, tz, course(tz, first), hair_length=hair_length)
    exfoliations = {o.id: o for o in occurrences(plan, "prep-exfoliate")}
    oils = occurrences(plan, "prep-oil")
    assert sorted(oil.follows for oil in oils) == sorted(exfoliations)
    for oil in oils:
        assert utc(oil.at) == utc(exfoliations[oil.follows].at)
    assert occurrences(plan, "prep-oil-mask") == []


@pytest.mark.parametrize(("tz", "first"), FIRST_SESSIONS)
def test_long_hair_oil_mask_every_night_then_shower_and_exfoliate_next_morning(tz, first):
    """Long hair can't oil after the shower: 'every night apply oils on your scalp and then
    wash your hair ... in the morning'; 'first apply an oil mask, then shower and exfoliate'."""
    first_day = day(first)
    plan = make_plan(PROTOCOL, tz, course(tz, first), hair_length="long")
    nights = date_range(first_day - 11 * DAY, first_day - 2 * DAY)
    assert per_day(plan, "prep-oil-mask") == dict.fromkeys(nights, 1)
    assert {t for d in nights for t in wall_times_on(plan, d, "prep-oil-mask")} == {"22:30"}
    # Every mask is washed out by the next morning's exfoliation, and every exfoliation
    # follows a mask; none is left on the scalp for the session.
    assert [d + DAY for d in nights] == dates_of(plan, "prep-exfoliate")
    assert occurrences(plan, "prep-oil") == []


@pytest.mark.parametrize(("tz", "first"), FIRST_SESSIONS)
def test_long_hair_washes_the_oil_out_with_shampoo_every_morning(tz, first):
    """'Every night apply oils on your scalp and then wash your hair with shampoo in the
    morning': each morning's exfoliating shower comes with a shampoo, on the same slot."""
    plan = make_plan(PROTOCOL, tz, course(tz, first), hair_length="long")
    exfoliations = {o.id: o for o in occurrences(plan, "prep-exfoliate")}
    shampoos = occurrences(plan, "prep-shampoo")
    assert sorted(s.follows for s in shampoos) == sorted(exfoliations)
    assert all(utc(s.at) == utc(exfoliations[s.follows].at) for s in shampoos)
    assert occurrences(make_plan(PROTOCOL, tz, course(tz, first)), "prep-shampoo") == []


@pytest.mark.parametrize(("tz", "first"), FIRST_SESSIONS)
def test_minoxidil_and_other_scalp_products_stopped_10_days_before_until_14_days_after(tz, first):
    """Stop minoxidil, sprays, creams, serums and hair treatments 7-10 days before the
    first session; 'you will be able to start using them again two weeks after your last
    SMP session' (single session: 14 days after it)."""
    first_day = day(first)
    sessions = course(tz, first)
    plan = make_plan(PROTOCOL, tz, sessions)
    starts = utc(midnight(tz, first_day - 10 * DAY))
    lifted = utc(midnight(tz, first_day + 14 * DAY))
    assert held(plan, "no-scalp-products", "no-shampoo") == [(starts, lifted)]
    # The shampoo week bans every product: while it holds, it shows alone.
    day_8 = utc(midnight(tz, first_day + 7 * DAY))
    assert windows(plan, "no-scalp-products") == [(starts, utc(sessions[0].end)), (day_8, lifted)]
    assert not restricted_at(plan, "no-scalp-products", starts - timedelta(seconds=1))
    assert_lifts_at(plan, "no-scalp-products", lifted)
    assert milestone_dates(plan, "no-scalp-products") == [first_day + 14 * DAY]


@pytest.mark.parametrize("tz", ZONES)
def test_four_sessions_scalp_products_resume_two_weeks_after_the_last_session(tz):
    """Stopped from 10 days before the first session (20 February) to two weeks after the
    last (13 April -> 27 April), without a break between sessions."""
    plan = make_plan(PROTOCOL, tz, course(tz, *WOMAN_DATES), gender="woman")
    assert held(plan, "no-scalp-products", "no-shampoo") == [
        (utc(midnight(tz, "2026-02-20")), utc(midnight(tz, "2026-04-27")))
    ]
    assert_lifts_at(plan, "no-scalp-products", midnight(tz, "2026-04-27"))


@pytest.mark.parametrize(("tz", "first"), FIRST_SESSIONS)
def test_no_sun_from_10_days_before_the_first_session_and_never_lifted(tz, first):
    """'7-10 days before the first session, avoid exposing your scalp to the sun';
    after the sessions: 'No sun exposure at all.'"""
    plan = make_plan(PROTOCOL, tz, course(tz, first))
    assert windows(plan, "no-sun") == [(utc(midnight(tz, day(first) - 10 * DAY)), None)]
    assert milestone_dates(plan, "no-sun") == []


@pytest.mark.parametrize(("tz", "first"), FIRST_SESSIONS)
def test_why_prepare_card_from_two_weeks_before_the_first_session(tz, first):
    plan = make_plan(PROTOCOL, tz, course(tz, first))
    assert [(utc(c.start), utc(c.end)) for c in cards(plan, "why-prepare")] == [
        (utc(midnight(tz, day(first) - 14 * DAY)), utc(local(tz, f"{first} 10:00")))
    ]


@pytest.mark.parametrize("case", PAST_MIDNIGHT)
def test_an_overnight_first_session_counts_preparation_back_from_the_day_it_starts(case):
    """'10 days before your first session' counts back from the evening it starts; the
    aftercare days count from the date it ends (day 1), two weeks for scalp products."""
    plan = plan_for(case)
    start_day = day(case.start[:10])
    assert dates_of(plan, "prep-exfoliate") == date_range(start_day - 10 * DAY, start_day - DAY)
    assert held(plan, "no-scalp-products", "no-shampoo") == [
        (utc(midnight(case.tz, start_day - 10 * DAY)), case.begins(15))
    ]
    (shave_and_wash,) = occurrences(plan, "prep-shave-wash")
    assert (shave_and_wash.date, utc(shave_and_wash.at)) == (
        start_day,
        case.starts - timedelta(hours=4),
    )
    assert windows(plan, "no-water") == [(case.ends, case.begins(5))]


# -- Right before each session ----------------------------------------------------------


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(
    ("hair_length", "task", "not_this"),
    [
        ("shaved", "prep-shave-wash", "prep-wash"),
        ("short", "prep-shave-wash", "prep-wash"),
        ("long", "prep-wash", "prep-shave-wash"),
    ],
)
def test_shave_and_wash_or_just_wash_right_before_each_session(tz, hair_length, task, not_this):
    """Short hair: 'shave your head and wash your scalp right before the treatment';
    medium or long hair: 'wash your hair thoroughly'. Before every session, from the
    moment the client is up (07:00) until the session starts (10:00)."""
    plan = make_plan(
        PROTOCOL, tz, course(tz, *WOMAN_DATES), gender="woman", hair_length=hair_length
    )
    found = occurrences(plan, task)
    assert [o.date for o in found] == [day(d) for d in WOMAN_DATES]
    assert [utc(o.at) for o in found] == [utc(local(tz, f"{d} 07:00")) for d in WOMAN_DATES]
    assert [utc(o.due_end) for o in found] == [utc(local(tz, f"{d} 10:00")) for d in WOMAN_DATES]
    assert occurrences(plan, not_this) == []


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(
    ("hair_length", "wash"),
    [("shaved", "prep-shave-wash"), ("short", "prep-shave-wash"), ("long", "prep-wash")],
)
def test_a_week_later_the_next_session_morning_is_already_shampoo_day(tz, hair_length, wash):
    """Men 'can do their next session after seven days'; 'seven days after the session -
    start adding baby shampoo'; before each session, wash 'right before the treatment'.
    Session 2 falls on day 8 of session 1: the shampoo ban is over from midnight, so the
    07:00 wash is planned with no shampoo ban in force, and the baby-shampoo news comes."""
    plan = make_plan(
        PROTOCOL, tz, course(tz, "2026-03-02", "2026-03-09"), gender="man", hair_length=hair_length
    )
    (morning_wash,) = [o for o in occurrences(plan, wash) if o.date == day("2026-03-09")]
    assert utc(morning_wash.at) == utc(local(tz, "2026-03-09 07:00"))
    assert not restricted_at(plan, "no-shampoo", morning_wash.at)
    assert milestone_dates(plan, "no-shampoo") == [day("2026-03-09"), day("2026-03-16")]
    assert restricted_at(plan, "no-shampoo", local(tz, "2026-03-09 14:00"))  # session 2's week
    assert warnings(plan) == []


def shown_at(plan, instant) -> str:
    """Every restriction and card text on screen at `instant`."""
    protocol_ = protocol(PROTOCOL)
    rules = {r.id: r for r in protocol_.restrictions}
    notes = {c.id: c for c in protocol_.cards}
    texts = [
        f"{rules[w.restriction_id].title} {rules[w.restriction_id].detail}"
        for w in plan.restrictions
        if restricted_at(plan, w.restriction_id, instant)
    ]
    texts += [
        f"{notes[c.card_id].title} {notes[c.card_id].body}"
        for c in plan.cards
        if (c.start is None or utc(c.start) <= utc(instant))
        and (c.end is None or utc(instant) < utc(c.end))
    ]
    return " ".join(texts)


@pytest.mark.parametrize("case", ONE_SESSION)
def test_no_sunscreen_asked_for_while_the_scalp_is_hands_off_or_chemical_free(case):
    """'Every time you go out, please apply 50 SPF sunscreen over your scalp', but 'during
    the first 24 hours - don't touch your scalp' and 'seven days after the session - no
    shampoo or chemicals': sunscreen is asked for before the session and from day 8, a hat
    meanwhile."""
    plan = plan_for(case)
    for hours in (1, 12, 23, 30, 24 * 5):
        assert "SPF" not in shown_at(plan, case.ends + timedelta(hours=hours))
        assert "hat" in shown_at(plan, case.ends + timedelta(hours=hours))
    assert "SPF 50" in shown_at(plan, case.starts - timedelta(hours=1))
    assert "SPF 50" in shown_at(plan, case.begins(8))


# -- After each session -----------------------------------------------------------------


@pytest.mark.parametrize("case", ONE_SESSION)
def test_hands_off_the_scalp_for_the_first_24_hours(case):
    """'During the first 24 hours after the session - don't touch your scalp.'"""
    plan = plan_for(case)
    assert windows(plan, "no-touching") == [(case.ends, case.ends + timedelta(hours=24))]
    assert_lifts_at(plan, "no-touching", case.ends + timedelta(hours=24))


@pytest.mark.parametrize("case", ONE_SESSION)
@pytest.mark.parametrize("hair_length", ["shaved", "long"])
def test_no_water_for_four_days_then_lukewarm_water_washes_morning_and_evening(case, hair_length):
    """'Four days after the session - no water over your scalp', then 'start washing ...
    with lukewarm WATER ONLY ... twice a day - morning and evening' (days 5 to 7)."""
    plan = plan_for(case, hair_length=hair_length)
    assert windows(plan, "no-water") == [(case.ends, case.begins(5))]
    assert_lifts_at(plan, "no-water", case.begins(5))
    assert per_day(plan, "wash-water") == dict.fromkeys(case.days(5, 7), 2)
    for washing_day in case.days(5, 7):
        assert wall_times_on(plan, washing_day, "wash-water") == TWICE_A_DAY


@pytest.mark.parametrize("case", ONE_SESSION)
def test_baby_shampoo_from_day_8_morning_and_evening_until_day_14(case):
    """'Seven days after the session - no shampoo or chemicals', then 'start adding baby
    shampoo'. After the last session, washes are planned until products are allowed."""
    plan = plan_for(case)
    assert windows(plan, "no-shampoo") == [(case.ends, case.begins(8))]
    assert_lifts_at(plan, "no-shampoo", case.begins(8))
    assert milestone_dates(plan, "no-shampoo") == [case.day(8)]
    assert per_day(plan, "wash-shampoo") == dict.fromkeys(case.days(8, 14), 2)
    assert wall_times_on(plan, case.day(8), "wash-shampoo") == TWICE_A_DAY


@pytest.mark.parametrize("case", ONE_SESSION)
@pytest.mark.parametrize("hair", ["shaved", "short"])
def test_oils_twice_daily_except_for_long_hair_from_one_day_after(case, hair):
    """'One day after the treatment - if you have a shaved scalp, start applying
    moisturizing oils twice a day, for long hairs - no oils yet'; not before 24 hours, and
    until day 14. Short hair is not long hair: it is oiled like a shaved scalp."""
    plan = plan_for(case, hair_length=hair)
    oils = occurrences(plan, "oil")
    assert min(utc(o.at) for o in oils) >= case.ends + timedelta(hours=24)
    assert per_day(plan, "oil") == dict.fromkeys(case.days(2, 14), 2)
    assert wall_times_on(plan, case.day(3), "oil") == TWICE_A_DAY
    assert occurrences(plan_for(case, hair_length="long"), "oil") == []


@pytest.mark.parametrize(("tz", "session_day", "lifted_wall_clock"), TWENTY_FOUR_HOURS_LATER)
def test_the_first_oil_waits_for_24_real_hours_across_a_clock_change(
    tz, session_day, lifted_wall_clock
):
    """One day after a 14:00 finish is 15:00 when clocks go forward, 13:00 when they go
    back: the morning oil of day 2 moves there, the evening one stays at 22:00."""
    plan = make_plan(PROTOCOL, tz, [session(tz, f"{session_day} 10:00", "14:00")])
    lifted = local(tz, lifted_wall_clock)
    assert_lifts_at(plan, "no-touching", lifted)
    assert wall_times_on(plan, lifted.date(), "oil") == [lifted_wall_clock[-5:], "22:00"]


@pytest.mark.parametrize("case", ONE_SESSION)
def test_long_hair_no_oil_until_day_8_then_a_nightly_oil_mask(case):
    """'For long hairs - no oils yet'; from seven days after, 'people with long hair can
    start applying moisturizing oils every night and wash them in the morning'."""
    plan = plan_for(case, hair_length="long")
    assert per_day(plan, "oil-mask") == dict.fromkeys(case.days(8, 13), 1)
    assert wall_times_on(plan, case.day(8), "oil-mask") == ["22:30"]
    # Each mask is washed out by the next morning's baby-shampoo wash.
    assert all(d + DAY in dates_of(plan, "wash-shampoo") for d in case.days(8, 13))
    assert [(utc(c.start), utc(c.end)) for c in cards(plan, "no-oil-yet")] == [
        (case.ends, case.begins(8))
    ]
    assert occurrences(plan_for(case, hair_length="shaved"), "oil-mask") == []


@pytest.mark.parametrize("case", ONE_SESSION)
def test_no_sweating_from_the_session_until_two_weeks_after_it(case):
    """'No sweating for the whole therapy'; 'you can get back to working out 2 weeks
    after your last SMP session'."""
    plan = plan_for(case)
    assert windows(plan, "no-sweating") == [(case.starts, case.begins(15))]
    assert_lifts_at(plan, "no-sweating", case.begins(15))
    assert milestone_dates(plan, "no-sweating") == [case.day(15)]


# -- A course of four sessions ----------------------------------------------------------


@pytest.mark.parametrize("tz", ZONES)
def test_four_sessions_no_sweating_for_the_whole_course_until_two_weeks_after_the_last(tz):
    plan = make_plan(PROTOCOL, tz, course(tz, *WOMAN_DATES), gender="woman")
    first_starts = utc(local(tz, "2026-03-02 10:00"))
    assert windows(plan, "no-sweating") == [(first_starts, utc(midnight(tz, "2026-04-27")))]
    assert restricted_at(plan, "no-sweating", local(tz, "2026-03-12 12:00"))  # between sessions


@pytest.mark.parametrize("tz", ZONES)
def test_women_wash_exfoliate_and_hydrate_every_day_until_the_next_session(tz):
    """Sessions two weeks apart, long hair: water-only washes on days 5 to 7, baby shampoo
    from day 8 up to the day before the next session, the nightly oil mask from day 8 until
    two nights before it; after the last session, until day 14 (masks until day 13)."""
    plan = make_plan(PROTOCOL, tz, course(tz, *WOMAN_DATES), gender="woman", hair_length="long")
    assert dates_of(plan, "wash-water") == [
        *date_range("2026-03-06", "2026-03-08"),
        *date_range("2026-03-20", "2026-03-22"),
        *date_range("2026-04-03", "2026-04-05"),
        *date_range("2026-04-17", "2026-04-19"),
    ]
    assert dates_of(plan, "wash-shampoo") == [
        *date_range("2026-03-09", "2026-03-15"),
        *date_range("2026-03-23", "2026-03-29"),
        *date_range("2026-04-06", "2026-04-12"),
        *date_range("2026-04-20", "2026-04-26"),
    ]
    assert set(per_day(plan, "wash-water").values()) == {2}
    assert set(per_day(plan, "wash-shampoo").values()) == {2}
    assert dates_of(plan, "oil-mask") == [
        *date_range("2026-03-09", "2026-03-14"),
        *date_range("2026-03-23", "2026-03-28"),
        *date_range("2026-04-06", "2026-04-11"),
        *date_range("2026-04-20", "2026-04-25"),
    ]
    assert wall_times_on(plan, "2026-03-29", "wash-shampoo") == TWICE_A_DAY  # across BST/DST
    assert warnings(plan) == []


@pytest.mark.parametrize("tz", ZONES)
def test_men_a_week_apart_oil_twice_daily_from_day_2_until_the_day_before_the_next(tz):
    """Shaved scalp, sessions a week apart: oil twice a day from one day after each session
    until the day before the next, and after the last session until day 14; the water-only
    washes of days 5 to 7 fill the rest of each week."""
    plan = make_plan(PROTOCOL, tz, course(tz, *MAN_DATES))
    assert dates_of(plan, "oil") == [
        *date_range("2026-03-03", "2026-03-08"),
        *date_range("2026-03-10", "2026-03-15"),
        *date_range("2026-03-17", "2026-03-22"),
        *date_range("2026-03-24", "2026-04-05"),
    ]
    assert set(per_day(plan, "oil").values()) == {2}
    assert dates_of(plan, "wash-water") == [
        *date_range("2026-03-06", "2026-03-08"),
        *date_range("2026-03-13", "2026-03-15"),
        *date_range("2026-03-20", "2026-03-22"),
        *date_range("2026-03-27", "2026-03-29"),
    ]
    assert dates_of(plan, "wash-shampoo") == date_range("2026-03-30", "2026-04-05")
    assert [w.code for w in warnings(plan)] == []


# -- Time between sessions --------------------------------------------------------------


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(("gap", "too_short"), [(6, True), (7, False), (10, False)])
def test_men_can_come_back_after_seven_days(tz, gap, too_short):
    """'Men can do their next session after seven days.'"""
    second = day("2026-03-02") + gap * DAY
    plan = make_plan(PROTOCOL, tz, course(tz, "2026-03-02", second.isoformat()), gender="man")
    expected = [("spacing_too_short", second)] if too_short else []
    # Six days on, session 2 (10:00-14:00) falls on day 7's washing: only the morning wash
    # fits before it, and the plan says that too.
    expected += [("task_short", second)] if too_short else []
    assert [(w.code, w.date) for w in warnings(plan)] == expected
    if too_short:
        assert "6 days" in warnings(plan)[0].message
        assert "at least 7" in warnings(plan)[0].message


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(("gap", "too_short"), [(7, True), (13, True), (14, False), (21, False)])
def test_women_need_at_least_two_weeks_between_sessions(tz, gap, too_short):
    """'Women need more time ... at least 2-3 weeks gap between sessions.'"""
    second = day("2026-03-02") + gap * DAY
    plan = make_plan(PROTOCOL, tz, course(tz, "2026-03-02", second.isoformat()), gender="woman")
    expected = [("spacing_too_short", second)] if too_short else []
    assert [(w.code, w.date) for w in warnings(plan)] == expected
    if too_short:
        assert "at least 14" in warnings(plan)[0].message


@pytest.mark.parametrize(
    ("first", "second", "too_short"),
    [
        # 09:00 in Auckland is the previous day in UTC: 7 UTC dates apart, 6 local days.
        (("2026-03-02 09:00", "13:00"), ("2026-03-08 14:00", "18:00"), True),
        # ...and the other way round: 6 UTC dates apart, 7 local days.
        (("2026-03-02 14:00", "18:00"), ("2026-03-09 09:00", "13:00"), False),
    ],
)
def test_a_week_between_sessions_counts_the_clients_own_calendar_days(first, second, too_short):
    """'After seven days' is counted on the client's calendar, not in UTC."""
    tz = "Pacific/Auckland"
    sessions = [session(tz, *first, "s1"), session(tz, *second, "s2")]
    plan = make_plan(PROTOCOL, tz, sessions, gender="man")
    expected = [("spacing_too_short", day(second[0][:10]))] if too_short else []
    assert [(w.code, w.date) for w in warnings(plan)] == expected
