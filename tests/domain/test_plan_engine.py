"""Properties every plan must have, whatever the protocol, timezone and schedule."""

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.domain.checkins import CHECKIN_TASK
from server.domain.occurrence import OPTIONAL_NOT_DONE, state
from server.domain.plan import Profile, build_plan, checkin_task
from server.domain.protocol import PerDay, Placement
from server.domain.timeline import Session, localize

from .plan_fixtures import PROTOCOL_IDS, loaded, local_session, plan_for

ZONES = [
    "Europe/London",
    "America/Los_Angeles",
    "Pacific/Auckland",
    "Asia/Dubai",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "Pacific/Chatham",
    "UTC",
]


@st.composite
def schedules(draw):
    protocol_id = draw(st.sampled_from(PROTOCOL_IDS))
    tz = draw(st.sampled_from(ZONES))
    first = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    sessions, day = [], first
    for index in range(draw(st.integers(1, 4))):
        start = datetime.combine(
            day, time(draw(st.integers(6, 21)), draw(st.sampled_from([0, 30])))
        )
        begin = start.replace(tzinfo=ZoneInfo(tz))
        hours = draw(st.integers(2, 6))
        sessions.append(Session(f"s{index}", begin, begin + timedelta(hours=hours)))
        day += timedelta(days=draw(st.integers(1, 40)))
    questions = loaded(protocol_id).protocol.questions
    answers = {q.id: draw(st.sampled_from([o.value for o in q.options])) for q in questions}
    wake = time(draw(st.integers(5, 10)), draw(st.sampled_from([0, 30])))
    bed = time(draw(st.sampled_from([21, 22, 23, 0, 1])), draw(st.sampled_from([0, 30])))
    return protocol_id, tz, sessions, answers, wake, bed


def waking_bounds(day, wake, bed, tz):
    """As instants: a wake or bed time that a clock change skips (Havana jumps at midnight)
    moves forward with the clock, and tasks with it."""
    start = datetime.combine(day, wake)
    end = datetime.combine(day if bed > wake else day + timedelta(days=1), bed)
    return localize(start, ZoneInfo(tz)), localize(end, ZoneInfo(tz))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules())
def test_every_plan_is_consistent(schedule):
    protocol_id, tz, sessions, answers, wake, bed = schedule
    plan = plan_for(protocol_id, tz, sessions, answers, wake, bed)
    protocol = loaded(protocol_id).protocol
    tasks = {task.id: task for task in protocol.tasks}
    if protocol.checkin is not None:  # placed like a daily task, so held to the same rules
        tasks[CHECKIN_TASK] = checkin_task(protocol.checkin)

    # Rebuilt from the same input, the plan is the same.
    assert plan == plan_for(protocol_id, tz, sessions, answers, wake, bed)

    ids = [o.id for o in plan.occurrences]
    assert len(ids) == len(set(ids))
    by_id = {o.id: o for o in plan.occurrences}
    position = {o.id: index for index, o in enumerate(plan.occurrences)}
    blocked = {}
    for window in plan.restrictions:
        assert window.end is None or window.start < window.end
        blocked.setdefault(window.restriction_id, []).append(window)

    after_bedtime = {w.date for w in plan.warnings if w.code == "task_after_bedtime"}
    per_day = {}
    for o in plan.occurrences:
        assert o.due_start <= o.at < o.due_end
        assert o.at.utcoffset() == o.at.astimezone(ZoneInfo(tz)).utcoffset()
        task = tasks[o.task_id]
        if o.follows:
            leader = by_id[o.follows]
            assert (leader.date, leader.slot, leader.at) == (o.date, o.slot, o.at)
            assert leader.task_id == task.after
            assert position[leader.id] < position[o.id]
        for restriction_id in task.blocked_by:
            for window in blocked.get(restriction_id, []):
                assert not (window.start <= o.at and (window.end is None or o.at < window.end)), (
                    f"{o.task_id} at {o.at} falls inside {restriction_id}"
                )
        # Time in the chair is busy.
        assert not any(s.start <= o.at < s.end for s in sessions), f"{o.task_id} in a session"
        if task.placement is not Placement.MOMENT and not task.after:
            low, high = waking_bounds(o.date, wake, bed, tz)
            # Outside waking hours only where the plan says so (a late session's day 2).
            assert low <= o.at <= high or (o.date in after_bedtime and o.at > high)
            per_day.setdefault((o.task_id, o.date), []).append(o)
    for (task_id, _), found in per_day.items():
        assert len(found) <= tasks[task_id].per_day.target
        gaps = [b.at - a.at for a, b in itertools.pairwise(found)]
        assert all(gap >= timedelta(hours=tasks[task_id].min_gap_hours) for gap in gaps)


@settings(max_examples=60, deadline=None)
@given(schedules(), st.integers(35, 90))
def test_adding_a_later_session_keeps_every_earlier_occurrence(schedule, days_later):
    protocol_id, tz, sessions, answers, wake, bed = schedule
    before = plan_for(protocol_id, tz, sessions, answers, wake, bed)
    start = sessions[-1].start + timedelta(days=days_later)
    added = Session("new", start, start + timedelta(hours=4))
    after = plan_for(protocol_id, tz, [*sessions, added], answers, wake, bed)
    cutoff = sessions[-1].start
    earlier = lambda plan: {o.id: o for o in plan.occurrences if o.at < cutoff}  # noqa: E731
    assert earlier(after) == earlier(before)


@settings(max_examples=60, deadline=None)
@given(schedules(), st.integers(1, 20))
def test_moving_a_future_session_keeps_the_occurrences_before_it(schedule, days_later):
    protocol_id, tz, sessions, answers, wake, bed = schedule
    if len(sessions) < 2:
        return
    moved = sessions[-1]
    shift = timedelta(days=days_later)
    rescheduled = [*sessions[:-1], Session(moved.id, moved.start + shift, moved.end + shift)]
    before = plan_for(protocol_id, tz, sessions, answers, wake, bed)
    after = plan_for(protocol_id, tz, rescheduled, answers, wake, bed)
    # Nothing anchored to the moved session starts more than 30 days before it.
    cutoff = min(moved.start - timedelta(days=30), sessions[-2].start)
    earlier = lambda plan: {o.id: o for o in plan.occurrences if o.at < cutoff}  # noqa: E731
    assert earlier(after) == earlier(before)


@pytest.mark.parametrize(
    ("tz", "dst_day"),
    [
        ("America/Los_Angeles", "2026-03-08"),
        ("America/Los_Angeles", "2026-11-01"),
        ("Europe/London", "2026-03-29"),
        ("Europe/London", "2026-10-25"),
        ("Pacific/Auckland", "2026-04-05"),
        ("Pacific/Auckland", "2026-09-27"),
    ],
)
def test_three_times_a_day_on_a_dst_day_keeps_three_sensible_local_times(tz, dst_day):
    day = date.fromisoformat(dst_day)
    session = local_session(tz, f"{day - timedelta(days=2)}T09:00")  # so the DST day is day 3
    plan = plan_for("scalp-nation", tz, [session])
    cleanses = [o for o in plan.occurrences if o.task_id == "cleanse" and o.date == day]
    assert [o.at.astimezone(ZoneInfo(tz)).strftime("%H:%M") for o in cleanses] == [
        "07:30",
        "14:45",
        "22:00",
    ]
    # The real gaps differ by the hour the clocks moved, not the wall-clock ones.
    real = {b.at - a.at for a, b in itertools.pairwise(cleanses)}
    assert real <= {
        timedelta(hours=7, minutes=15),
        timedelta(hours=6, minutes=15),
        timedelta(hours=8, minutes=15),
    }


def test_a_night_owl_s_evening_slot_falls_after_midnight_on_the_same_waking_day():
    session = local_session("Europe/London", "2026-06-01T10:00")
    plan = plan_for("scalp-nation", "Europe/London", [session], wake=time(11), bed=time(3))
    day3 = [o for o in plan.occurrences if o.task_id == "cleanse" and o.date == date(2026, 6, 3)]
    assert [o.at.strftime("%d %H:%M") for o in day3] == ["03 11:30", "03 18:45", "04 02:00"]


def test_changing_the_client_s_day_moves_times_but_keeps_ids():
    session = local_session("Asia/Dubai", "2026-06-01T10:00")
    early = plan_for("scalp-nation", "Asia/Dubai", [session], wake=time(5), bed=time(21))
    late = plan_for("scalp-nation", "Asia/Dubai", [session], wake=time(9), bed=time(1))
    full_days = {date(2026, 6, 3), date(2026, 6, 4)}
    pick = lambda plan: {o.id: o.at for o in plan.occurrences if o.date in full_days}  # noqa: E731
    assert pick(early).keys() == pick(late).keys()
    assert all(pick(early)[key] < pick(late)[key] for key in pick(early))


def test_a_late_session_leaves_too_little_of_day_2_and_says_so():
    # Ends 22:30: products are allowed from 22:30 next day, after the usual evening slot.
    session = local_session("Europe/London", "2026-06-01T18:00", hours=4.5)
    plan = plan_for("scalp-nation", "Europe/London", [session])
    day2 = [o for o in plan.occurrences if o.task_id == "cleanse" and o.date == date(2026, 6, 2)]
    assert [o.at.strftime("%H:%M") for o in day2] == ["22:30"]
    assert any(w.code == "task_short" and w.date == date(2026, 6, 2) for w in plan.warnings)


def test_no_sessions_gives_an_empty_plan_with_a_warning():
    plan = plan_for("scalp-nation", "UTC", [])
    assert plan.occurrences == () and plan.restrictions == ()
    assert [w.code for w in plan.warnings] == ["no_sessions"]


def test_overlapping_sessions_are_flagged():
    a = local_session("UTC", "2026-06-01T09:00", hours=5)
    b = local_session("UTC", "2026-06-01T12:00", hours=2)
    assert "sessions_overlap" in {w.code for w in plan_for("smp-faq", "UTC", [a, b]).warnings}


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (Profile("Mars/Olympus_Mons"), "unknown timezone"),
        (Profile("UTC", {"hair_length": "purple"}), "hair_length"),
        (Profile("UTC", {"shoe_size": "9"}), "unknown question"),
        (Profile("UTC", wake=time(9), bed=time(13)), "at least 6 hours"),
    ],
)
def test_bad_client_input_is_refused_with_a_reason(profile, message):
    with pytest.raises(ValueError, match=message):
        build_plan(loaded("scalp-nation").protocol, profile, [])


def test_sessions_must_be_aware_and_forward():
    with pytest.raises(ValueError, match="timezone-aware"):
        Session("x", datetime(2026, 1, 1, 9), datetime(2026, 1, 1, 12))
    tz = ZoneInfo("UTC")
    with pytest.raises(ValueError, match="end after"):
        Session("x", datetime(2026, 1, 1, 9, tzinfo=tz), datetime(2026, 1, 1, 9, tzinfo=tz))


def test_a_session_across_the_autumn_fold_is_real_and_ordered_by_real_time():
    tz = ZoneInfo("Europe/London")
    start = datetime(2026, 10, 25, 1, 30, tzinfo=tz)  # BST, the first 01:30
    end = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=tz)  # GMT, after the clocks went back
    session = Session("fold", start, end)
    assert session.end.astimezone(ZoneInfo("UTC")) - session.start.astimezone(
        ZoneInfo("UTC")
    ) == timedelta(minutes=40)
    plan = plan_for("scalp-nation", "Europe/London", [session])
    instants = [o.at.astimezone(ZoneInfo("UTC")) for o in plan.occurrences]
    assert instants == sorted(instants)


def test_an_early_session_s_shower_is_an_hour_before_not_in_the_night():
    plan = plan_for(
        "smp-layering", "Europe/London", [local_session("Europe/London", "2026-06-10T06:00")]
    )
    (shower,) = [o for o in plan.occurrences if o.task_id == "prep-shower"]
    assert shower.at.strftime("%H:%M") == "05:00"
    late = plan_for(
        "smp-layering", "Europe/London", [local_session("Europe/London", "2026-06-10T13:00")]
    )
    (shower,) = [o for o in late.occurrences if o.task_id == "prep-shower"]
    assert shower.at.strftime("%H:%M") == "09:00"  # the window opens at 09:00, after waking


def test_no_all_clear_while_the_next_session_s_rule_holds():
    # Sessions five days apart: session 1's "shower normally" (day 8) falls in session 2's
    # four dry days, so it is not announced; session 2's own lifts are.
    sessions = [local_session("UTC", "2026-06-01T09:00"), local_session("UTC", "2026-06-06T09:00")]
    plan = plan_for("smp-faq", "UTC", sessions)
    lifts = {(m.restriction_id, m.date.isoformat()) for m in plan.milestones}
    assert ("gentle-showers", "2026-06-08") not in lifts
    assert ("no-water", "2026-06-05") in lifts  # a real gap: shower before session 2
    assert ("no-water", "2026-06-10") in lifts and ("gentle-showers", "2026-06-13") in lifts


def test_a_rule_lifting_at_midnight_before_a_session_has_not_really_lifted():
    # Sessions four days apart: "no haircut" for days 1-4 ends at the midnight before session
    # 2, which starts it again; the client never gets a moment to shave in between.
    sessions = [local_session("UTC", "2026-06-01T09:00"), local_session("UTC", "2026-06-05T09:00")]
    plan = plan_for("smp-faq", "UTC", sessions)
    windows = [(w.start, w.end) for w in plan.restrictions if w.restriction_id == "no-haircut"]
    assert len(windows) == 1
    assert [m.date.isoformat() for m in plan.milestones if m.restriction_id == "no-haircut"] == [
        "2026-06-09"
    ]


def test_a_rule_lifts_on_a_session_morning_that_asks_for_what_it_forbids():
    # Weekly sessions: "no shampoo" for days 1-7 ends at the midnight before session 2, whose
    # morning asks for a wash (blocked by it): that morning it has really lifted.
    sessions = [local_session("UTC", "2026-06-01T09:00"), local_session("UTC", "2026-06-08T09:00")]
    plan = plan_for("seven-derma", "UTC", sessions)
    windows = [(w.start, w.end) for w in plan.restrictions if w.restriction_id == "no-shampoo"]
    assert [end.isoformat() for _, end in windows] == [
        "2026-06-08T00:00:00+00:00",
        "2026-06-15T00:00:00+00:00",
    ]
    assert [m.date.isoformat() for m in plan.milestones if m.restriction_id == "no-shampoo"] == [
        "2026-06-08",
        "2026-06-15",
    ]


SESSION = [local_session("Europe/London", "2026-03-10T09:00")]


def scalp_nation_offering(task_id: str):
    """Scalp Nation's plan for one session, with `task_id` offered rather than asked."""
    source = loaded("scalp-nation").protocol
    tasks = tuple(replace(t, optional=True) if t.id == task_id else t for t in source.tasks)
    profile = Profile("Europe/London", {"hair_length": "shaved"})
    return build_plan(replace(source, tasks=tasks), profile, SESSION, "v")


def scalp_nation_with(task_id: str, **changes):
    source = loaded("scalp-nation").protocol
    tasks = tuple(replace(t, **changes) if t.id == task_id else t for t in source.tasks)
    return replace(source, tasks=tasks)


def test_an_optional_task_is_optional_in_every_slot_and_its_follower_too():
    """A protocol may offer a task rather than ask for it (`optional = true`): every one of its
    occurrences, and those of the task that follows it, is optional, so never missed."""
    plan = scalp_nation_offering("cleanse")
    by_task = {}
    for occurrence in plan.occurrences:
        by_task.setdefault(occurrence.task_id, set()).add(occurrence.optional)
    assert by_task["cleanse"] == {True} and by_task["balm"] == {True}
    required = plan_for("scalp-nation", "Europe/London", SESSION, {"hair_length": "shaved"})
    assert False in {o.optional for o in required.occurrences if o.task_id == "cleanse"}


def test_an_optional_follower_of_a_required_task_is_optional():
    plan = scalp_nation_offering("balm")
    assert {o.optional for o in plan.occurrences if o.task_id == "balm"} == {True}
    assert False in {o.optional for o in plan.occurrences if o.task_id == "cleanse"}


@pytest.mark.parametrize(
    ("tz", "eve"), [("Europe/London", "2026-03-28"), ("America/Los_Angeles", "2026-03-07")]
)
def test_a_late_session_on_a_dst_eve_keeps_its_day_2_cleanse_after_bedtime_and_says_so(tz, eve):
    """Ends 22:30 the night before the clocks go forward: the first 24 real hours end at
    23:30 on day 2, after a 23:00 bedtime. Day 2 still gets its cleanse and balm, at 23:30,
    and the plan warns, instead of starting the care 32 hours after the session."""
    session = local_session(tz, f"{eve}T18:00", hours=4.5)
    plan = plan_for("scalp-nation", tz, [session])
    day2 = date.fromisoformat(eve) + timedelta(days=1)
    on_day2 = [o for o in plan.occurrences if o.date == day2 and o.task_id != CHECKIN_TASK]
    assert [(o.task_id, o.at.strftime("%H:%M"), o.optional) for o in on_day2] == [
        ("cleanse", "23:30", False),
        ("balm", "23:30", False),
    ]
    assert on_day2[0].at.astimezone(UTC) - session.end.astimezone(UTC) == timedelta(hours=24)
    assert [(w.code, w.date, w.task) for w in plan.warnings] == [
        ("task_after_bedtime", day2, "cleanse")
    ]
    assert "23:30" in plan.warnings[0].message


@pytest.mark.parametrize("offered", [{"per_day": PerDay(0, 3)}, {"optional": True}])
def test_an_offered_task_is_not_placed_after_bedtime(offered):
    """Nothing required is lost when an optional task's day opens only after bedtime: it is
    not put in the client's night, and no one is warned about it."""
    session = local_session("Europe/London", "2026-03-28T18:00", hours=4.5)
    plan = build_plan(
        scalp_nation_with("cleanse", **offered),
        Profile("Europe/London", {"hair_length": "shaved"}),
        [session],
        "v",
    )
    assert not [
        o for o in plan.occurrences if o.date == date(2026, 3, 29) and o.task_id != CHECKIN_TASK
    ]
    assert [w for w in plan.warnings if w.code == "task_after_bedtime"] == []


@pytest.mark.parametrize(
    ("placement", "per_day"),
    [
        (Placement.SPREAD, PerDay(0, 3)),
        (Placement.MORNING, PerDay(0, 1)),
        (Placement.EVENING, PerDay(0, 1)),
        (Placement.NIGHT, PerDay(0, 1)),
    ],
)
def test_a_task_with_no_daily_minimum_is_offered_in_every_slot(placement, per_day):
    """`per_day.min = 0`: "you can also use…" advice; every slot up to the target is offered,
    none is asked for, so none is ever missed."""
    plan = build_plan(
        scalp_nation_with("cleanse", placement=placement, per_day=per_day),
        Profile("Europe/London", {"hair_length": "shaved"}),
        SESSION,
        "v",
    )
    cleanses = [o for o in plan.occurrences if o.task_id == "cleanse"]
    assert len({o.date for o in cleanses}) == 3  # days 2 to 4
    assert len(cleanses) > 3 if per_day.target > 1 else len(cleanses) == 3
    assert {o.optional for o in cleanses} == {True}
    assert {o.optional for o in plan.occurrences if o.task_id == "balm"} == {True}
    late = datetime(2026, 4, 30, tzinfo=UTC)
    assert {state(False, o.optional, o.due_end, late) for o in cleanses} == {OPTIONAL_NOT_DONE}


@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_nothing_is_placed_while_the_client_is_in_the_chair(protocol_id):
    """A session is busy time: no wash, oil or cleanse is due at 12:45 during a 10:00-13:00
    session, whatever the earlier session's care asks for that day."""
    tz = "Europe/London"
    for gap, start, answers in itertools.product(
        (2, 5, 7), ("10:00", "13:00"), answer_combinations(protocol_id)
    ):
        days = (1, 1 + gap, 1 + 2 * gap)
        sessions = [local_session(tz, f"2026-05-{day:02d}T{start}", hours=3) for day in days]
        plan = plan_for(protocol_id, tz, sessions, answers)
        inside = [
            (o.task_id, o.at) for o in plan.occurrences for s in sessions if s.start <= o.at < s.end
        ]
        assert inside == []


def answer_combinations(protocol_id):
    questions = loaded(protocol_id).protocol.questions
    for values in itertools.product(*([o.value for o in q.options] for q in questions)):
        yield {q.id: value for q, value in zip(questions, values, strict=True)}
