"""The clinic's client list in SQL: needs-a-call flags, critical days, filters and pages."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import literal, select

from server.clinic.adherence import daily
from server.clinic.client_list import Filters, page
from server.extensions import db
from server.models import Client, Device
from server.models.sql_dates import days_after, local_date
from tests.support.clinics import add_client, tick_all
from tests.support.factories import days_from, new_client, with_plan


def page_of(app, clinic_id, now, **kwargs):
    filters = Filters(q=kwargs.pop("q", None), flag=kwargs.pop("flag", None))
    with app.app_context():
        result = page(clinic_id, now, kwargs.pop("page", 1), filters=filters, **kwargs)
        return result, {line.client.name: line.summary for line in result.items}


def set_seen(app, client_id, at):
    with app.app_context():
        for device in db.session.scalars(select(Device).where(Device.client_id == client_id)):
            device.last_seen_at = at
        db.session.commit()


def test_a_client_who_missed_days_one_to_four_needs_a_call_first(app, world, now):
    good = add_client(app, now, world.a.clinic_id, "Good")
    tick_all(app, good, now)
    listed, rows = page_of(app, world.a.clinic_id, now)
    # Sam's session ended 3 days ago: days 2 to 4 hold cleanse and balm, none ticked.
    sam = rows["Sam"]
    assert sam.critical_missed == sam.due > 0
    assert sam.needs_call is True and sam.adherence == 0.0
    assert rows["Good"].needs_call is False
    assert (rows["Good"].critical_missed, rows["Good"].adherence) == (0, 1.0)
    assert [line.client.name for line in listed.items] == ["Sam", "Good"]
    assert listed.total == 2 and listed.pages == 1


def test_only_misses_on_days_one_to_four_of_the_latest_session_are_critical(app, world, now):
    # The latest session ended 8 days ago: its days 1 to 4 (12 to 15 March) are done, the
    # first session's are not, and those no longer count as critical.
    later = add_client(app, now, world.a.clinic_id, "Later", session_days=(-20, -8))
    session_end = now - timedelta(days=8) + timedelta(hours=4)
    day_one = session_end.date()
    tick_all(app, later, now, on_days={day_one + timedelta(days=n) for n in range(4)})
    _, rows = page_of(app, world.a.clinic_id, now)
    assert rows["Later"].critical_missed == 0
    assert rows["Later"].done < rows["Later"].due


def test_days_one_to_four_are_counted_in_the_client_s_own_zone(app, world, now):
    # 20:00 UTC on 16 March is 09:00 on 17 March in Auckland: day 1 is the 17th there.
    with app.app_context():
        instant = datetime(2026, 3, 16, 20, 0, tzinfo=UTC)
        day = db.session.scalar(
            select(local_date(literal(instant, Client.created_at.type), "Pacific/Auckland"))
        )
        later = db.session.scalar(select(days_after(literal(date(2026, 3, 30)), 4)))
    assert (day, later) == (date(2026, 3, 17), date(2026, 4, 3))


def test_no_sync_for_48_hours_flags_a_client_with_tasks_due(app, world, now):
    set_seen(app, world.a.client_id, now - timedelta(hours=49))
    quiet = add_client(app, now, world.a.clinic_id, "Quiet", phone=False)
    with app.app_context():
        db.session.get(Client, quiet).created_at = now - timedelta(days=5)
        db.session.commit()
    _, rows = page_of(app, world.a.clinic_id, now)
    assert rows["Sam"].no_sync is True
    assert rows["Quiet"].no_sync is True  # never synced, added five days ago
    set_seen(app, world.a.client_id, now - timedelta(hours=47))
    _, rows = page_of(app, world.a.clinic_id, now)
    assert rows["Sam"].no_sync is False


def test_a_client_added_just_now_is_not_flagged_for_not_syncing(app, world, now):
    add_client(app, now, world.a.clinic_id, "New", session_days=(5,))
    _, rows = page_of(app, world.a.clinic_id, now)
    assert (rows["New"].no_sync, rows["New"].needs_call) == (False, False)
    assert rows["New"].adherence is None


def test_a_session_booked_sooner_than_the_protocol_allows_is_flagged(app, world, now):
    with app.app_context():
        rushed = new_client(  # the protocol asks for 14 days between sessions
            clinic_id=world.a.clinic_id,
            name="Rushed",
            protocol="smp-layering",
            created_at=now,
            sessions=days_from(now, (5, 10), hours=3),
        )
        with_plan(rushed, app.extensions["protocols"], now)
        db.session.commit()
    _, rows = page_of(app, world.a.clinic_id, now)
    assert rows["Rushed"].spacing_too_short is True and rows["Rushed"].needs_call is True
    assert rows["Sam"].spacing_too_short is False
    listed, rows = page_of(app, world.a.clinic_id, now, flag="spacing")
    assert list(rows) == ["Rushed"] and listed.total == 1


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        (None, {"Sam", "Good", "Quiet"}),
        ("needs_call", {"Sam", "Quiet"}),
        ("missed_critical", {"Sam"}),
        ("no_sync", {"Quiet"}),
        ("spacing", set()),
    ],
)
def test_flags_filter_the_list(app, world, now, flag, expected):
    good = add_client(app, now, world.a.clinic_id, "Good")
    tick_all(app, good, now)
    # All ticked on paper, but the phone has been silent for three days while tasks fell due.
    quiet = add_client(app, now, world.a.clinic_id, "Quiet", phone=False)
    tick_all(app, quiet, now)
    with app.app_context():
        db.session.get(Client, quiet).created_at = now - timedelta(days=4)
        db.session.commit()
    set_seen(app, good, now)
    set_seen(app, world.a.client_id, now)
    with app.app_context():
        db.session.add(
            Device(client_id=quiet, token_hash=uuid4().hex, last_seen_at=now - timedelta(days=3))
        )
        db.session.commit()
    listed, rows = page_of(app, world.a.clinic_id, now, flag=flag)
    assert set(rows) == expected and listed.total == len(expected)


def test_search_matches_name_or_contact_literally(app, world, now):
    for name in ("Alex 100%", "Alexa", "Bo"):
        add_client(app, now, world.a.clinic_id, name)
    with app.app_context():
        bo = db.session.scalar(select(Client).where(Client.name == "Bo"))
        bo.contact = "bo@example.com"
        db.session.commit()
    assert set(page_of(app, world.a.clinic_id, now, q="alex")[1]) == {"Alex 100%", "Alexa"}
    assert set(page_of(app, world.a.clinic_id, now, q="0%")[1]) == {"Alex 100%"}
    assert set(page_of(app, world.a.clinic_id, now, q="EXAMPLE.com")[1]) == {"Bo"}
    assert set(page_of(app, world.a.clinic_id, now, q="_")[1]) == set()


def test_pages_split_the_list_and_count_it(app, world, now):
    for number in range(6):
        add_client(app, now, world.a.clinic_id, f"Client {number}", session_days=(10,))
    first, _ = page_of(app, world.a.clinic_id, now, page=1, per_page=3)
    third, _ = page_of(app, world.a.clinic_id, now, page=3, per_page=3)
    beyond, _ = page_of(app, world.a.clinic_id, now, page=9, per_page=3)
    assert (first.total, first.pages, len(first.items)) == (7, 3, 3)
    assert first.items[0].client.name == "Sam"  # the one who needs a call
    assert [line.client.name for line in third.items] == ["Client 5"]
    assert (beyond.items, beyond.total) == ([], 7)


def test_another_clinic_s_clients_never_appear(app, world, now):
    listed, rows = page_of(app, world.b.clinic_id, now)
    assert list(rows) == ["Kim"] and listed.total == 1


def test_daily_counts_match_the_summary(app, world, now):
    tick_all(app, world.a.client_id, now, on_days={date(2026, 3, 19)})
    with app.app_context():
        days = daily(world.a.client_id, now)
    _, rows = page_of(app, world.a.clinic_id, now)
    assert sum(d.due for d in days) == rows["Sam"].due
    assert sum(d.done for d in days) == rows["Sam"].done > 0
    [the_19th] = [d for d in days if d.day == date(2026, 3, 19)]
    assert the_19th.done == the_19th.due == the_19th.planned
    assert all(d.due == 0 for d in days if d.day > date(2026, 3, 20))
