"""Each reason to call, against the protocols' own numbers: when a concern is raised, in what
words, when it clears, expires or is handled for good, and what adherence counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from server.clinic import calls
from server.clinic.adherence import daily
from server.clinic.client_list import Filters, page
from server.clinic.summaries import current
from server.domain import concerns as kinds
from server.extensions import db
from server.models import Client, ClientNote, Concern, Device, PlanOccurrence, TreatmentSession
from server.phone.devices import issue_device
from server.plans.store import rebuild
from tests.support.clinics import add_events
from tests.support.factories import ZONE, days_from, new_client, with_plan

LONDON = ZoneInfo(ZONE)


def client_with(
    app,
    now,
    *,
    sessions,
    protocol="scalp-nation",
    answers=None,
    added=None,
    phone_at=None,
    seen=None,
    name="Sam",
) -> int:
    """A client of a new clinic: added at `added`, their phone connected at `phone_at` and
    last seen at `seen` (no phone if `phone_at` is None)."""
    from server.models import Clinic

    with app.app_context():
        clinic = Clinic(name=f"Clinic {uuid4()}", created_at=now - timedelta(days=400))
        client = new_client(
            clinic=clinic,
            name=name,
            protocol=protocol,
            answers=answers,
            created_at=added or now - timedelta(days=30),
            sessions=sessions,
        )
        with_plan(client, app.extensions["protocols"], now)
        if phone_at is not None:
            device, _ = issue_device(client.id, "phone", phone_at)
            device.last_seen_at = seen
        db.session.commit()
        return client.id


def due_occurrences(app, client_id, at) -> list[PlanOccurrence]:
    """The tasks due by `at`; not the check-ins, which are answered, never ticked."""
    with app.app_context():
        return db.session.scalars(
            select(PlanOccurrence)
            .where(
                PlanOccurrence.client_id == client_id,
                PlanOccurrence.active.is_(True),
                PlanOccurrence.due_end <= at,
                PlanOccurrence.task_id != "checkin",
            )
            .order_by(PlanOccurrence.due_end)
        ).all()


def tick(app, client_id, occurrences, received_at) -> None:
    add_events(
        app,
        client_id,
        [(o.occurrence_id, "done", o.due_start, uuid4()) for o in occurrences],
        received_at,
    )


def open_at(app, client_id, at) -> list[kinds.Concern]:
    with app.app_context():
        current(client_id, at)
        db.session.commit()
        return calls.open_concerns([client_id], at).get(client_id, [])


def summary_at(app, client_id, at):
    with app.app_context():
        row = current(client_id, at)
        db.session.commit()
        return row


def synced(app, client_id, at) -> None:
    """The client's phone syncs at `at`: what fell due before it is known."""
    with app.app_context():
        for device in db.session.scalars(select(Device).where(Device.client_id == client_id)):
            device.last_seen_at = at
        db.session.commit()


def mark_handled(app, client_id, at) -> None:
    """What the dashboard's 'Mark handled' does, without a signed-in clinician."""
    with app.app_context():
        note = ClientNote(client_id=client_id, outcome="called", text="", at=at)
        db.session.add(note)
        db.session.flush()
        db.session.execute(
            update(Concern)
            .where(Concern.client_id == client_id, Concern.handled_by_id.is_(None))
            .values(handled_by_id=note.id)
        )
        db.session.commit()


def session_three_days_ago(app, now, **kwargs) -> int:
    """A session that started 3 days ago (ended that afternoon): days 1 to 4 of healing,
    with the phone connected a week before and seen just now."""
    return client_with(
        app,
        now,
        sessions=days_from(now, (-3,)),
        phone_at=now - timedelta(days=7),
        seen=now,
        **kwargs,
    )


def test_a_missed_cleanse_on_day_two_is_one_concern_in_words(app, now):
    sam = session_three_days_ago(app, now)
    due = due_occurrences(app, sam, now)
    with app.app_context():
        day_one = (
            db.session.scalar(
                select(TreatmentSession.ends_at).where(TreatmentSession.client_id == sam)
            )
            .astimezone(LONDON)
            .date()
        )
    evening_day_two = [
        o
        for o in due
        if o.local_date == day_one + timedelta(days=1) and o.slot == "evening" and o.follows is None
    ]
    assert evening_day_two, "scalp-nation cleanses in the evening on day 2"
    missed = evening_day_two[0]
    # Everything else was ticked, the follower (balm after that cleanse) included.
    tick(
        app,
        sam,
        [
            o
            for o in due
            if o.occurrence_id != missed.occurrence_id and o.follows != missed.occurrence_id
        ],
        now,
    )
    [line] = open_at(app, sam, now)  # the cleanse and the balm after it: one line
    balm = [o for o in due if o.follows == missed.occurrence_id]
    assert line.kind == kinds.MISSED_CRITICAL and len(line.ids) == 1 + len(balm) == 2
    words = kinds.reason(line)
    assert words.startswith("Missed “Cleanse your scalp” and “Apply balm” (evening)")
    assert "(evening) on day 2, " in words
    assert (day_one + timedelta(days=1)).strftime("%a %-d %b") in words
    concerns = line.ids
    summary = summary_at(app, sam, now)
    assert summary.needs_call and summary.critical_missed == len(concerns)


def test_days_one_to_four_only(app, now):
    """A miss on day 5 (7 Derma's water-only washes start then) is not a critical-day miss."""
    sam = session_three_days_ago(
        app, now, protocol="seven-derma", answers={"hair_length": "shaved", "gender": "man"}
    )
    later = now + timedelta(days=4)  # days 5 to 7 have fallen due too
    due = due_occurrences(app, sam, later)
    with app.app_context():
        day_one = (
            db.session.scalar(
                select(TreatmentSession.ends_at).where(TreatmentSession.client_id == sam)
            )
            .astimezone(LONDON)
            .date()
        )
    day_five = day_one + timedelta(days=kinds.CRITICAL_DAYS)
    assert [o for o in due if o.local_date >= day_five and not o.optional], "tasks after day 4"
    critical = [o for o in due if o.local_date < day_five]
    assert critical, "tasks on days 1 to 4"
    tick(app, sam, critical, later)
    synced(app, sam, later)
    assert not [c for c in open_at(app, sam, later) if c.kind == kinds.MISSED_CRITICAL]
    # And the last critical day counts: undo a tick on day 4.
    [last] = [o for o in critical if o.local_date == day_five - timedelta(days=1)][-1:]
    add_events(app, sam, [(last.occurrence_id, "undone", later, uuid4())], later)
    missed = [c for c in open_at(app, sam, later) if c.kind == kinds.MISSED_CRITICAL]
    assert [(c.day, c.day_number) for c in missed] == [(last.local_date, 4)]


def test_handled_stays_handled_and_a_new_miss_raises_a_new_concern(app, now):
    sam = session_three_days_ago(app, now)
    tick(app, sam, due_occurrences(app, sam, now)[1:], now)  # the first one missed
    assert len(open_at(app, sam, now)) == 1
    mark_handled(app, sam, now)
    assert open_at(app, sam, now) == []
    assert summary_at(app, sam, now).needs_call is False
    later = now + timedelta(hours=12)  # the evening tasks fall due, untouched
    assert open_at(app, sam, later) == []  # not known until the phone syncs
    synced(app, sam, later)
    fresh = open_at(app, sam, later)
    assert fresh and all(c.raised_at == later for c in fresh)
    assert summary_at(app, sam, later).needs_call is True


def test_a_late_tick_clears_the_concern_and_an_untick_reopens_it(app, now):
    sam = session_three_days_ago(app, now)
    due = due_occurrences(app, sam, now)
    tick(app, sam, due[1:], now)
    [concern] = open_at(app, sam, now)
    tick(app, sam, due[:1], now)  # ticked late, from a phone that was offline
    assert open_at(app, sam, now) == []
    add_events(app, sam, [(due[0].occurrence_id, "undone", now, uuid4())], now)
    assert [c.id for c in open_at(app, sam, now)] == [concern.id]  # the same one, reopened


def test_a_missed_critical_day_expires_two_weeks_after_the_session(app, now):
    sam = session_three_days_ago(app, now)
    tick(app, sam, due_occurrences(app, sam, now)[1:], now)
    [concern] = open_at(app, sam, now)
    with app.app_context():
        ends = db.session.scalar(
            select(TreatmentSession.ends_at).where(TreatmentSession.client_id == sam)
        )
    assert concern.expires_at == ends + kinds.FOLLOW_UP
    just_before = concern.expires_at - timedelta(minutes=1)
    tick(
        app,
        sam,
        [o for o in due_occurrences(app, sam, just_before) if o.local_date > concern.day],
        just_before,
    )
    synced(app, sam, just_before)
    assert [c.id for c in open_at(app, sam, just_before)] == [concern.id]
    after = concern.expires_at + timedelta(minutes=1)
    tick(
        app, sam, [o for o in due_occurrences(app, sam, after) if o.local_date > concern.day], after
    )
    synced(app, sam, after)
    assert open_at(app, sam, after) == []
    assert summary_at(app, sam, after).needs_call is False
    with app.app_context():
        expired = page(
            db.session.get(Client, sam).clinic_id, after, filters=Filters(flag="expired")
        )
        assert [line.client.id for line in expired.items] == [sam]


def test_adherence_counts_nothing_before_the_client_has_a_phone(app, now):
    """A client added today with a session three days ago, no phone yet: nothing counts, and
    the only concern, once tasks have fallen due for 48 hours, is the missing phone."""
    new = client_with(app, now, sessions=days_from(now, (-3,)), added=now)
    summary = summary_at(app, new, now)
    assert (summary.due, summary.needs_call, summary.adherence) == (0, False, None)
    with app.app_context():
        assert calls.counted_since(new) is None
        days = daily(new, now)  # the calendar still draws every planned day, none counted
        assert days and {d.due for d in days} == {0} and sum(d.planned for d in days) > 0
    later = now + timedelta(days=2, minutes=1)
    assert [c.kind for c in open_at(app, new, later)] == [kinds.SILENT_PHONE]
    assert summary_at(app, new, later).due == 0


def test_adherence_counts_from_the_first_phone(app, now):
    sam = client_with(
        app, now, sessions=days_from(now, (-3,)), phone_at=now - timedelta(days=1), seen=now
    )
    summary = summary_at(app, sam, now)
    counted = [
        o
        for o in due_occurrences(app, sam, now)
        if o.due_end > now - timedelta(days=1) and not o.optional
    ]
    assert summary.due == len(counted) > 0
    assert summary.due < len([o for o in due_occurrences(app, sam, now) if not o.optional])
    with app.app_context():
        assert calls.counted_since(sam) == now - timedelta(days=1)


def test_an_optional_task_is_never_missed(app, now):
    """smp-faq offers hair colouring one to two weeks before the first session."""
    first = now + timedelta(days=3)
    client = client_with(
        app,
        now,
        protocol="smp-faq",
        answers={"colours_hair": "yes", "hair_length": "shaved"},
        sessions=[(first, first + timedelta(hours=4))],
        phone_at=now - timedelta(days=20),
        seen=now,
    )
    due = due_occurrences(app, client, now)
    colour = [o for o in due if o.task_id == "prep-colour"]
    assert colour and all(o.optional for o in colour)
    tick(app, client, [o for o in due if o.task_id != "prep-colour"], now)
    summary = summary_at(app, client, now)
    assert summary.due == summary.done and summary.needs_call is False


def seven_derma_with_session_in(app, now, days: float) -> int:
    first = now + timedelta(days=days)
    return client_with(
        app,
        now,
        protocol="seven-derma",
        answers={"hair_length": "shaved", "gender": "man"},
        sessions=[(first, first + timedelta(hours=4))],
        phone_at=now - timedelta(days=20),
        seen=now,
    )


def test_missed_pre_care_is_a_concern_once_the_session_is_three_days_away(app, now):
    soon = seven_derma_with_session_in(app, now, 2)
    concerns = open_at(app, soon, now)
    assert concerns and {c.kind for c in concerns} == {kinds.MISSED_BEFORE_SESSION}
    words = kinds.reason(concerns[0])
    assert "Exfoliate your scalp" in words or "Oil your scalp" in words
    assert "before session 1 on " in words
    assert all(c.expires_at == now + timedelta(days=2) for c in concerns)
    far = seven_derma_with_session_in(app, now, 5)
    assert open_at(app, far, now) == []
    # Three days before it, the same misses become concerns; at its start, they expire.
    assert open_at(app, far, now + timedelta(days=2, hours=1))
    assert open_at(app, far, now + timedelta(days=5, minutes=1)) == [] or all(
        c.kind != kinds.MISSED_BEFORE_SESSION
        for c in open_at(app, far, now + timedelta(days=5, minutes=1))
    )


@pytest.mark.parametrize("overlap", ["identical", "overlapping"])
def test_sessions_entered_twice_or_overlapping_are_a_concern(app, now, overlap):
    start = now + timedelta(days=10)
    second = start if overlap == "identical" else start + timedelta(hours=2)
    client = client_with(
        app,
        now,
        protocol="smp-faq",  # asks for 5 to 7 days between sessions
        sessions=[(start, start + timedelta(hours=4)), (second, second + timedelta(hours=4))],
        phone_at=now - timedelta(days=1),
        seen=now,
    )
    [concern] = open_at(app, client, now)
    assert concern.kind == kinds.SCHEDULE
    with app.app_context():  # an overlap is also a gap shorter than the protocol allows
        plan = db.session.get(Client, client).plan
        assert plan.spacing_too_short is True
        assert {w["code"] for w in plan.content["warnings"]} >= {
            "sessions_overlap",
            "spacing_too_short",
        }
    words = kinds.reason(concern)
    if overlap == "identical":
        assert "Sessions 1 and 2 are the same session, entered twice." in words
    else:
        assert "Session 2 starts before session 1 ends." in words
    mark_handled(app, client, now)
    assert open_at(app, client, now) == []
    with app.app_context():  # session 2 a day on: still too soon, a new concern
        session = db.session.scalars(
            select(TreatmentSession)
            .where(TreatmentSession.client_id == client)
            .order_by(TreatmentSession.id)
        ).all()[1]
        session.starts_at += timedelta(days=1)
        session.ends_at += timedelta(days=1)
        db.session.flush()
        db.session.expire_all()
        rebuild(db.session.get(Client, client), app.extensions["protocols"], now)
        db.session.commit()
    [moved] = open_at(app, client, now)
    assert moved.kind == kinds.SCHEDULE and moved.id != concern.id
    with app.app_context():  # and then weeks apart: no concern at all
        session = db.session.get(TreatmentSession, session.id)
        session.starts_at += timedelta(days=20)
        session.ends_at += timedelta(days=20)
        db.session.flush()
        db.session.expire_all()
        rebuild(db.session.get(Client, client), app.extensions["protocols"], now)
        db.session.commit()
    assert open_at(app, client, now) == []


def test_a_day_whose_care_falls_after_bedtime_is_on_the_call_list(app, now):
    """A Scalp Nation session ending 22:30 on the eve of the spring clock change: the first
    24 real hours end at 23:30 on day 2, after the client's 23:00 bedtime. The clinic is told,
    in the plan's words, that day 2's cleanse is placed after bedtime."""
    start = datetime(2026, 3, 28, 18, 0, tzinfo=LONDON)
    client = client_with(
        app,
        now,
        sessions=[(start.astimezone(UTC), (start + timedelta(hours=4.5)).astimezone(UTC))],
        phone_at=now - timedelta(days=1),
        seen=now,
    )
    [concern] = open_at(app, client, now)
    assert concern.kind == kinds.SCHEDULE
    words = kinds.reason(concern)
    assert "Cleanse your scalp" in words and "23:30" in words and "bedtime" in words


def test_a_silent_phone_while_tasks_fall_due(app, now):
    quiet = client_with(
        app,
        now,
        sessions=days_from(now, (-3,)),
        phone_at=now - timedelta(days=7),
        seen=now - timedelta(days=2, minutes=1),
    )
    tick(app, quiet, due_occurrences(app, quiet, now), now - timedelta(days=2, minutes=1))
    concerns = open_at(app, quiet, now)
    assert [c.kind for c in concerns] == [kinds.SILENT_PHONE]
    assert kinds.reason(concerns[0]).startswith("Phone silent since ")
    with app.app_context():  # the phone syncs: the silence is over
        device = db.session.scalar(select(Device).where(Device.client_id == quiet))
        device.last_seen_at = now
        db.session.commit()
    assert open_at(app, quiet, now) == []
    # Not 48 hours yet: no concern.
    assert open_at(app, quiet, now + timedelta(hours=47)) == [] or all(
        c.kind != kinds.SILENT_PHONE for c in open_at(app, quiet, now + timedelta(hours=47))
    )


def test_never_connected_is_said_so(app, now):
    added = datetime(2026, 3, 15, 9, 0, tzinfo=UTC)
    nobody = client_with(app, now, sessions=days_from(now, (-3,)), added=added)
    [concern] = open_at(app, nobody, now)
    assert kinds.reason(concern) == (
        "No phone connected since being added on Sun 15 Mar, while tasks fell due"
    )


def test_reasons_in_words():
    day = date(2026, 12, 1)
    missed = kinds.Concern(
        1,
        kinds.MISSED_CRITICAL,
        datetime.now(UTC),
        None,
        day=day,
        task="Cleanse your scalp",
        slot="evening",
        day_number=2,
        session_number=1,
    )
    assert kinds.reason(missed) == (
        "Missed “Cleanse your scalp” (evening) on day 2, Tue 1 Dec (after session 1)"
    )
    moment = kinds.Concern(
        2,
        kinds.MISSED_BEFORE_SESSION,
        datetime.now(UTC),
        None,
        day=day,
        task="Stop minoxidil",
        slot="moment",
        session_number=2,
        session_start=datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
    )
    assert (
        kinds.reason(moment)
        == "Missed “Stop minoxidil” on Tue 1 Dec, before session 2 on Thu 3 Dec"
    )
    assert kinds.plural(1, "day") == "1 day" and kinds.plural(2, "day") == "2 days"
