"""A clinic's settings: its admins choose the time zone its audit log and CSVs are read in."""

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Clinic
from tests.support.stored import snapshot


def clinic_zone(app, clinic_id):
    with app.app_context():
        return db.session.get(Clinic, clinic_id).timezone


def test_a_new_clinic_reads_its_records_in_utc_until_an_admin_says_otherwise(app, world, admin_a):
    assert clinic_zone(app, world.a.clinic_id) == "UTC"
    page = admin_a.get("/clinic/admin/settings")
    assert page.status_code == 200 and 'value="UTC"' in page.text
    saved = admin_a.post("/clinic/admin/settings", {"timezone": " Europe/London "})
    assert saved.status_code == 302
    assert clinic_zone(app, world.a.clinic_id) == "Europe/London"
    assert clinic_zone(app, world.b.clinic_id) == "UTC", "another clinic is untouched"
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "clinic.settings"))
    assert entry.detail == {"timezone": ["UTC", "Europe/London"]}


def test_a_zone_that_does_not_exist_is_refused_beside_its_field_and_nothing_changes(
    app, world, admin_a
):
    before = snapshot(app)
    refused = admin_a.post("/clinic/admin/settings", {"timezone": "Europe/Londres"})
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    assert "Not an IANA time zone name, such as Europe/London." in refused.text
    assert 'value="Europe/Londres"' in refused.text, "the form keeps what was typed"
    assert snapshot(app) == before


def test_only_admins_change_settings(app, world, clinician_a):
    assert clinician_a.get("/clinic/admin/settings").status_code == 403
    assert clinician_a.post("/clinic/admin/settings", {"timezone": "Asia/Dubai"}).status_code == 403
    assert clinic_zone(app, world.a.clinic_id) == "UTC"


def test_the_command_line_makes_a_clinic_in_a_zone(app, runner):
    made = runner.invoke(args=["clinic", "create", "East", "--timezone", "Asia/Dubai"])
    assert made.exit_code == 0, made.output
    refused = runner.invoke(args=["clinic", "create", "West", "--timezone", "Mars/Olympus"])
    assert refused.exit_code != 0 and "Not an IANA time zone name" in refused.output
    with app.app_context():
        zones = dict(db.session.execute(select(Clinic.name, Clinic.timezone)).all())
    assert zones == {"East": "Asia/Dubai"}


def test_the_clinic_phone_reaches_the_clients_phone_and_a_bad_one_is_refused(
    app, world, admin_a, client
):
    saved = admin_a.post(
        "/clinic/admin/settings", {"timezone": "UTC", "phone": " +44 (20) 7946-0000 "}
    )
    assert saved.status_code == 302
    me = client.get("/api/v1/me", headers=world.a.phone).get_json()
    assert me["clinic_phone"] == "+44 (20) 7946-0000"
    before = snapshot(app)
    refused = admin_a.post("/clinic/admin/settings", {"timezone": "UTC", "phone": "call us"})
    assert refused.status_code == 422 and 'id="settings-phone-error"' in refused.text
    assert snapshot(app) == before
    cleared = admin_a.post("/clinic/admin/settings", {"timezone": "UTC", "phone": ""})
    assert cleared.status_code == 302
    assert client.get("/api/v1/me", headers=world.a.phone).get_json()["clinic_phone"] is None
