"""CSV exports: a client's tasks and the clinic's list, safe to open in a spreadsheet."""

import csv
import io
from datetime import timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select

from server.clinic.exports import safe_cell
from server.extensions import db
from server.models import AuditEntry, Client, PlanOccurrence
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


def test_a_client_s_tasks_one_line_per_occurrence(app, world, now, clinician_a):
    with app.app_context():
        occurrences = db.session.scalars(
            select(PlanOccurrence)
            .where(PlanOccurrence.client_id == world.a.client_id, PlanOccurrence.active.is_(True))
            .order_by(PlanOccurrence.due_start)
        ).all()
        db.session.expunge_all()
    done = next(o for o in occurrences if o.due_end <= now)
    device_time = done.due_start + timedelta(minutes=5)
    add_events(app, world.a.client_id, [(done.occurrence_id, "done", device_time, uuid4())], now)
    lines = rows(clinician_a.get(f"/clinic/clients/{world.a.client_id}/tasks.csv"))
    assert len(lines) == len(occurrences)
    assert list(lines[0]) == [
        "date",
        "slot",
        "task",
        "optional",
        "due",
        "status",
        "logged_at",
        "device_time",
    ]
    [ticked] = [line for line in lines if line["device_time"]]
    assert ticked["status"] == "done" and ticked["task"] in ("Cleanse your scalp", "Apply balm")
    assert ticked["device_time"] == device_time.isoformat()
    assert ticked["logged_at"].startswith(now.date().isoformat())
    statuses = {line["status"] for line in lines}
    assert {"done", "missed", "open"} <= statuses


def test_the_clinic_s_list_escapes_names_and_contacts(app, world, now, clinician_a):
    with app.app_context():
        sam = db.session.get(Client, world.a.client_id)
        sam.name, sam.contact = "=cmd|' /C calc'!A0", "+44 7700 900123"
        db.session.commit()
    [line] = rows(clinician_a.get("/clinic/clients.csv"))
    assert line["name"] == "'=cmd|' /C calc'!A0"
    assert line["contact"] == "'+44 7700 900123"
    assert line["needs_call"] == "yes" and int(line["missed_days_1_to_4"]) > 0
    assert line["client_id"] == str(world.a.client_id)


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
