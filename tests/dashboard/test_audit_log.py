"""The audit log: names, readable actions, the clinic's time, filters, its CSV; and the client
list logged once per search rather than once per page view."""

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Client, Clinic, Clinician
from tests.support.dashboard import readable


def set_clinic_zone(app, clinic_id, zone):
    with app.app_context():
        db.session.get(Clinic, clinic_id).timezone = zone
        db.session.commit()


def add_entry(app, world, action, at, client_id=None, email=None, detail=None):
    with app.app_context():
        person = None
        if email is not None:
            person = db.session.scalar(select(Clinician.id).where(Clinician.email == email))
        db.session.add(
            AuditEntry(
                clinic_id=world.a.clinic_id,
                clinician_id=person,
                client_id=client_id,
                action=action,
                detail=detail or {},
                at=at,
            )
        )
        db.session.commit()


def table_rows(page) -> list[str]:
    """The log's rows as text, one string per row."""
    body = page.text.split("<tbody>")[1].split("</tbody>")[0]
    return [" ".join(row.split()) for row in body.split("<tr")[1:]]


def csv_lines(response):
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True)[1:])))


def test_the_log_names_people_and_clients_and_says_what_they_did_in_the_clinic_s_time(
    app, world, now, admin_a, clinician_a
):
    set_clinic_zone(app, world.a.clinic_id, "Asia/Dubai")  # UTC+4
    clinician_a.get(f"/clinic/clients/{world.a.client_id}")
    page = admin_a.get("/clinic/admin/audit")
    assert page.status_code == 200
    [viewed] = [row for row in table_rows(page) if "Opened a client&#39;s record" in row]
    assert "clinician of Clinic A" in readable(viewed) and "><bdi>Sam</bdi></a>" in viewed
    assert "Fri, 20 Mar 2026, 16:00:00" in viewed, "12:00 UTC is 16:00 in Dubai"
    assert f"#{world.a.client_id}" not in page.text.split("<tbody>")[1]
    assert "Times in Asia/Dubai" in readable(page.text)


def test_a_deleted_client_and_the_client_s_own_app_are_named_for_what_they_are(
    app, world, now, admin_a
):
    add_entry(app, world, "client.view", now, client_id=987654, email=world.a.clinician)
    add_entry(app, world, "app.export", now, client_id=world.a.client_id)
    rows = table_rows(admin_a.get("/clinic/admin/audit"))
    assert any("Client #987654 (deleted)" in row for row in rows)
    [app_row] = [row for row in rows if "from the app)" in row]
    assert "The client, from the app" in app_row


def test_filters_by_person_client_action_and_dates_in_the_clinic_s_zone(app, world, now, admin_a):
    set_clinic_zone(app, world.a.clinic_id, "America/New_York")  # UTC-4 on 20 March 2026
    with app.app_context():
        other = Client(
            clinic_id=world.a.clinic_id,
            name="Alex Other",
            timezone="Europe/London",
            protocol_id="scalp-nation",
            answers={},
            created_at=now,
        )
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    clinician, admin = world.a.clinician, world.a.admin
    add_entry(app, world, "client.view", now, world.a.client_id, clinician)  # 08:00 NY, 20th
    add_entry(app, world, "client.view", now - timedelta(hours=9), other_id, clinician)  # 19th
    add_entry(app, world, "session.add", now - timedelta(days=3), world.a.client_id, admin)

    def shown(**query):
        page = admin_a.get("/clinic/admin/audit", query_string=query)
        assert page.status_code == 200, page.text
        return page, table_rows(page)

    clinician_id = str(
        next(p for p in admin_a_people(app, world) if p.email == world.a.clinician).id
    )
    _, rows = shown(person=clinician_id)
    assert len(rows) == 2 and all("<bdi>clinician of Clinic A</bdi>" in row for row in rows)
    _, rows = shown(client="sam")
    assert len(rows) == 2 and all("><bdi>Sam</bdi></a>" in row for row in rows)
    _, rows = shown(client=f"#{other_id}")
    assert len(rows) == 1 and "Alex Other" in rows[0]
    _, rows = shown(action="session.add")
    assert len(rows) == 1 and "Added a session" in rows[0]
    # 20 March in New York began at 04:00 UTC: the entry 9 hours before noon UTC (03:00 UTC)
    # was still the 19th there.
    _, rows = shown(since="2026-03-20", until="2026-03-20", action="client.view")
    assert len(rows) == 1 and "Sam" in rows[0]
    _, rows = shown(since="2026-03-19", until="2026-03-19", person=clinician_id)
    assert len(rows) == 1 and "Alex Other" in rows[0]
    page, rows = shown(person=clinician_id, action="client.view", client="alex")
    assert len(rows) == 1
    assert 'option value="client.view" selected' in page.text, "the form shows the filters"


def admin_a_people(app, world):
    with app.app_context():
        people = db.session.scalars(
            select(Clinician).where(Clinician.clinic_id == world.a.clinic_id)
        ).all()
        db.session.expunge_all()
        return people


def test_pages_keep_the_filters(app, world, now, admin_a):
    for number in range(55):
        add_entry(app, world, "session.add", now - timedelta(minutes=number), world.a.client_id)
    add_entry(app, world, "client.view", now, world.a.client_id)
    first = admin_a.get("/clinic/admin/audit?action=session.add")
    assert "Page 1 of 2" in first.text
    assert 'href="/clinic/admin/audit?page=2&amp;action=session.add"' in first.text
    second = admin_a.get("/clinic/admin/audit?page=2&action=session.add")
    assert len(table_rows(second)) == 5
    assert all("Added a session" in row for row in table_rows(second))


def test_a_bad_filter_is_said_beside_its_field_and_left_out(app, world, admin_a):
    page = admin_a.get(
        "/clinic/admin/audit",
        query_string={"since": "2026-02-30", "until": "2026-01-01", "person": "999999999999"},
    )
    assert page.status_code == 422
    assert 'id="audit-since-error"' in page.text and "Not a date" in page.text
    assert 'id="audit-person-error"' in page.text and "No such person" in page.text
    until = admin_a.get(
        "/clinic/admin/audit", query_string={"since": "2026-03-02", "until": "2026-03-01"}
    )
    assert until.status_code == 422 and "The last day is before the first" in until.text
    assert admin_a.get("/clinic/admin/audit.csv?action=nope").status_code == 422


def test_the_log_s_csv_follows_the_filters_with_codes_names_and_the_zone(
    app, world, now, admin_a, clinician_a
):
    set_clinic_zone(app, world.a.clinic_id, "Europe/Paris")
    clinician_a.get(f"/clinic/clients/{world.a.client_id}")
    add_entry(app, world, "session.add", now, world.a.client_id, world.a.admin, {"x": "=1+1"})
    lines = csv_lines(admin_a.get("/clinic/admin/audit.csv?action=client.view"))
    assert list(lines[0]) == [
        "at (Europe/Paris)",
        "person",
        "person_id",
        "action",
        "action_code",
        "client",
        "client_id",
        "detail",
    ]
    [line] = lines
    assert line["at (Europe/Paris)"] == "2026-03-20 13:00:00"
    assert (line["person"], line["action"], line["action_code"]) == (
        "clinician of Clinic A",
        "Opened a client's record",
        "client.view",
    )
    assert (line["client"], line["client_id"]) == ("Sam", str(world.a.client_id))
    everything = csv_lines(admin_a.get("/clinic/admin/audit.csv"))
    assert {"client.view", "session.add", "clinician.sign_in"} <= {
        line["action_code"] for line in everything
    }
    with app.app_context():
        exported = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "audit.export").order_by(AuditEntry.id)
        ).all()
    assert [entry.detail for entry in exported] == [
        {"action": "client.view", "rows": 1},
        {"rows": len(everything)},  # the export's own entry is in the file it made
    ]
    assert everything[0]["action_code"] == "audit.export"


def test_the_log_s_csv_is_an_admin_s_and_counts_toward_the_export_limit(
    app, world, clinician_a, admin_a, dashboard
):
    from server import rate_limits

    assert clinician_a.get("/clinic/admin/audit.csv").status_code == 403
    admin_b = dashboard()
    admin_b.sign_in(world.b.admin)
    assert "Sam" not in admin_b.get("/clinic/admin/audit.csv").text
    limit = rate_limits.allowance(rate_limits.EXPORT_PER_CLINICIAN)
    for _ in range(limit):
        assert admin_a.get("/clinic/admin/audit.csv").status_code == 200
    assert admin_a.get("/clinic/admin/audit.csv").status_code == 429


def list_entries(app):
    with app.app_context():
        return db.session.execute(
            select(AuditEntry.detail, AuditEntry.at)
            .where(AuditEntry.action == "clients.list")
            .order_by(AuditEntry.id)
        ).all()


def test_the_client_list_is_logged_once_per_search_not_once_per_page_view(
    app, world, now, clinician_a, admin_a
):
    for _ in range(3):
        clinician_a.get("/clinic/")
    clinician_a.get("/clinic/?page=2")
    clinician_a.get("/clinic/?q=sam")
    clinician_a.get("/clinic/?q=sam&page=2")
    clinician_a.get("/clinic/?q=sam&flag=needs_call")
    admin_a.get("/clinic/")  # another person's search is theirs
    assert [detail for detail, _ in list_entries(app)] == [
        {"q": None, "flag": "needs_call"},  # the list opens on who to call today
        {"q": "sam", "flag": None},  # a search looks through everyone
        {"q": "sam", "flag": "needs_call"},
        {"q": None, "flag": "needs_call"},
    ]
    app.config["CLOCK"] = lambda: now + timedelta(minutes=29)
    clinician_a.get("/clinic/?q=sam")
    assert len(list_entries(app)) == 4, "the same search within the window"
    app.config["CLOCK"] = lambda: now + timedelta(minutes=31)
    clinician_a.get("/clinic/?q=sam")
    clinician_a.get("/clinic/?q=sam")
    entries = list_entries(app)
    assert len(entries) == 5 and entries[-1] == ({"q": "sam", "flag": None}, entries[-1][1])
    assert entries[-1][1] == now + timedelta(minutes=31)
