"""CSV exports: a client's tasks and the clinic's list, safe to open in a spreadsheet."""

import csv
import io
from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from server.clinic.exports import contact_cell, csv_chunks, local_time, safe_cell, utc_offset
from server.extensions import db
from server.models import AuditEntry, Client, Clinic, PlanOccurrence, TreatmentSession
from tests.support.clinics import add_client, add_events


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("https://evil.example")', '\'=HYPERLINK("https://evil.example")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Sam = Samuel", "Sam = Samuel"),
        (None, ""),
        (12, "12"),
    ],
)
def test_cells_that_would_run_as_formulas_get_a_quote(value, expected):
    assert safe_cell(value) == expected


def rows(response):
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def set_clinic_zone(app, clinic_id, zone):
    with app.app_context():
        db.session.get(Clinic, clinic_id).timezone = zone
        db.session.commit()


def test_a_client_s_tasks_one_line_per_occurrence(app, world, now, clinician_a):
    set_clinic_zone(app, world.a.clinic_id, "America/New_York")  # not the client's zone
    with app.app_context():
        occurrences = db.session.scalars(
            select(PlanOccurrence)
            .where(PlanOccurrence.client_id == world.a.client_id, PlanOccurrence.active.is_(True))
            .order_by(PlanOccurrence.due_start)
        ).all()
        db.session.expunge_all()
    done = next(o for o in occurrences if o.due_end <= now and o.task_id != "checkin")
    phone = timezone(timedelta(hours=-5, minutes=-30))
    device_time = (done.due_start + timedelta(minutes=5, microseconds=123456)).astimezone(phone)
    received = now + timedelta(microseconds=654321)
    add_events(
        app, world.a.client_id, [(done.occurrence_id, "done", device_time, uuid4())], received
    )
    lines = rows(clinician_a.get(f"/clinic/clients/{world.a.client_id}/tasks.csv"))
    assert len(lines) == len(occurrences)
    assert list(lines[0]) == [
        "client_id",
        "client",
        "protocol",
        "date (Europe/London)",
        "time (Europe/London)",
        "slot",
        "task",
        "optional",
        "due_by (Europe/London)",
        "status",
        "logged_at (America/New_York)",
        "device_time (the phone's clock)",
        "device_utc_offset",
    ]
    assert {(line["client_id"], line["client"]) for line in lines} == {
        (str(world.a.client_id), "Sam")
    }
    assert {line["protocol"] for line in lines} == {"Scalp Nation aftercare"}
    [ticked] = [line for line in lines if line["device_time (the phone's clock)"]]
    assert ticked["status"] == "done" and ticked["task"] in ("Cleanse your scalp", "Apply balm")
    london, new_york = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
    assert ticked["date (Europe/London)"] == done.local_date.isoformat()
    assert ticked["time (Europe/London)"] == done.due_start.astimezone(london).strftime("%H:%M")
    assert ticked["due_by (Europe/London)"] == done.due_end.astimezone(london).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    assert ticked["logged_at (America/New_York)"] == received.astimezone(new_york).strftime(
        "%Y-%m-%d %H:%M:%S"
    ), "in the clinic's zone, to the second"
    assert ticked["device_time (the phone's clock)"] == device_time.strftime("%Y-%m-%d %H:%M:%S")
    assert ticked["device_utc_offset"] == "UTC-05:30"
    statuses = {line["status"] for line in lines}
    assert {"done", "missed", "open"} <= statuses


def test_the_clinic_s_list_escapes_names_and_keeps_phone_numbers_as_text(
    app, world, now, clinician_a
):
    with app.app_context():
        sam = db.session.get(Client, world.a.client_id)
        sam.name, sam.contact = "=cmd|' /C calc'!A0", "+44 7700 900123 (mum: 07700 900200)"
        db.session.commit()
    [line] = rows(clinician_a.get("/clinic/clients.csv"))
    assert line["name"] == "'=cmd|' /C calc'!A0"
    assert line["contact"] == "\u2060+44 7700 900123 (mum: 07700 900200)", "no visible mark"
    assert line["needs_call"] == "yes" and int(line["missed_days_1_to_4"]) > 0
    assert line["client_id"] == str(world.a.client_id)
    assert line["protocol"] == "Scalp Nation aftercare"


def test_the_clinic_s_list_gives_times_in_the_clinic_s_zone(app, world, now, clinician_a):
    set_clinic_zone(app, world.a.clinic_id, "Asia/Dubai")
    with app.app_context():
        next_session = db.session.get(TreatmentSession, world.a.future_session_id).starts_at
    [line] = rows(clinician_a.get("/clinic/clients.csv"))
    assert "last_sync" not in line and "next_session" not in line
    dubai = ZoneInfo("Asia/Dubai")
    assert line["next_session (Asia/Dubai)"] == next_session.astimezone(dubai).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    assert line["last_session (Asia/Dubai)"].endswith(":00")


@pytest.mark.parametrize(
    ("contact", "cell"),
    [
        ("+44 7700 900107", "\u2060+44 7700 900107"),
        ("+447700900107", "\u2060+447700900107"),  # else a number: 447700900107
        ("07700900107", "\u206007700900107"),  # else a number without its 0
        ("(0)7700 900107", "\u2060(0)7700 900107"),  # else maybe -7700900107
        ("+1 =HYPERLINK(1)", "\u2060+1 =HYPERLINK(1)"),  # starts with the joiner: never run
        ("sam@example.com", "sam@example.com"),
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),  # not a phone number: the quote, as for any cell
        ("-1+1", "'-1+1"),
        (None, ""),
    ],
)
def test_a_contact_cell_is_text_a_spreadsheet_shows_as_typed(contact, cell):
    [line] = list(csv.reader(io.StringIO("".join(csv_chunks(["c"], [[contact_cell(contact)]])))))[
        1:
    ]
    assert line == [cell]


def test_times_are_local_to_the_second_across_a_clock_change():
    london = ZoneInfo("Europe/London")
    just_before = datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC)
    assert local_time(just_before, london) == "2026-03-29 00:59:59"
    assert local_time(just_before + timedelta(microseconds=1), london) == "2026-03-29 02:00:00"
    assert local_time(None, london) is None
    assert [utc_offset(m) for m in (330, -570, 0)] == ["UTC+05:30", "UTC-09:30", "UTC+00:00"]


def test_exports_follow_the_filters_and_are_audited(app, world, clinician_a):
    assert rows(clinician_a.get("/clinic/clients.csv?q=nobody")) == []
    clinician_a.get(f"/clinic/clients/{world.a.client_id}/tasks.csv")
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {"clients.export", "client.export"} <= set(actions)


def test_exports_stream_in_batches_and_count_in_the_audit(
    app, world, now, clinician_a, monkeypatch
):
    from server.clinic import exports

    monkeypatch.setattr(exports, "BATCH", 2)  # several batches and chunks even in a small clinic
    monkeypatch.setattr(exports, "CHUNK", 100)
    for n in range(4):
        add_client(app, now, world.a.clinic_id, f"Client {n}")
    for url, expected in [
        ("/clinic/clients.csv", 5),
        (f"/clinic/clients/{world.a.client_id}/tasks.csv", None),
    ]:
        response = clinician_a.get(url)
        assert response.is_streamed
        lines = rows(response)
        with app.app_context():
            audited = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
            active = select(PlanOccurrence).where(
                PlanOccurrence.client_id == world.a.client_id, PlanOccurrence.active.is_(True)
            )
            count = expected or len(db.session.scalars(active).all())
        assert len(lines) == audited.detail["rows"] == count > 2
        assert len({tuple(line.values()) for line in lines}) == count, "no line twice"


def test_a_clinician_s_exports_are_limited_and_a_colleague_s_are_not(world, clinician_a, admin_a):
    from server import rate_limits

    limit = rate_limits.allowance(rate_limits.EXPORT_PER_CLINICIAN)
    tasks = f"/clinic/clients/{world.a.client_id}/tasks.csv"
    statuses = [
        clinician_a.get(tasks if n % 2 else "/clinic/clients.csv").status_code for n in range(limit)
    ]
    assert statuses == [200] * limit
    refused = clinician_a.get("/clinic/clients.csv")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60 * 60
    assert "Too many" in refused.get_data(as_text=True)
    assert admin_a.get("/clinic/clients.csv").status_code == 200
