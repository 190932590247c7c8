"""The demo command and the enrollment codes it issues."""

import hashlib
import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from server.clinic import calls
from server.clinic.client_list import Filters, page
from server.clinic.demo import CASELOAD, create_demo
from server.extensions import db
from server.models import Client, Clinic, Clinician, EnrollmentCode
from server.phone.enrollment import CODE_LIFETIME, hash_code

LONDON = ZoneInfo("Europe/London")
JSON_KEYS = {"clinician_email", "clinician_password", "enroll_url", "enroll_code"}


def run_demo_json(runner):
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_demo_json(runner):
    printed = run_demo_json(runner)
    assert set(printed) == JSON_KEYS
    assert printed["clinician_email"] == "demo@aftercue.example"
    assert printed["enroll_url"] == f"https://aftercue.test/enroll#{printed['enroll_code']}"


def test_demo_text_says_where_to_go(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "https://aftercue.test" in result.output
    assert "demo@aftercue.example" in result.output
    assert "https://aftercue.test/enroll#" in result.output


def test_demo_twice_reuses_clinic_and_clinician(app, runner):
    first = run_demo_json(runner)
    second = run_demo_json(runner)
    assert first["clinician_password"] != second["clinician_password"]
    assert first["enroll_code"] != second["enroll_code"]

    with app.app_context():
        count = lambda model: db.session.scalar(sa.select(sa.func.count(model.id)))  # noqa: E731
        caseload = len(CASELOAD)  # added with the clinic, once
        assert (count(Clinic), count(Clinician), count(Client)) == (1, 1, 2 + caseload)
        names = db.session.scalars(sa.select(Client.name).order_by(Client.id)).all()
        assert names[caseload:] == [f"Demo client {caseload + 1}", f"Demo client {caseload + 2}"]

        clinician = db.session.scalars(sa.select(Clinician)).one()
        assert clinician.role == "admin"
        assert clinician.check_password(second["clinician_password"])
        assert not clinician.check_password(first["clinician_password"])


def test_demo_stores_only_the_code_hash(app, runner):
    printed = run_demo_json(runner)
    code = printed["enroll_code"]
    assert len(code) >= 32  # 24 random bytes, base64url: 192 bits
    with app.app_context():
        stored = db.session.scalars(sa.select(EnrollmentCode)).one()
        assert stored.code_hash == hashlib.sha256(code.encode()).hexdigest() == hash_code(code)
        assert stored.expires_at - stored.created_at == timedelta(days=7) == CODE_LIFETIME
        assert stored.used_at is None
        rows = db.session.execute(sa.text("SELECT * FROM enrollment_codes")).all()
        assert code not in repr(rows)


def test_demo_sessions_are_morning_sessions_in_london(app, runner):
    run_demo_json(runner)
    with app.app_context():
        client = db.session.scalars(sa.select(Client).where(Client.name.like("Demo client%"))).one()
        assert client.timezone == "Europe/London"
        assert client.protocol_id == "scalp-nation"
        assert client.answers == {"hair_length": "shaved"}
        today = client.created_at.astimezone(LONDON).date()
        local = [
            (s.starts_at.astimezone(LONDON), s.ends_at.astimezone(LONDON)) for s in client.sessions
        ]
        assert [(start.date() - today).days for start, _ in local] == [-10, -2, 12]
        assert {(start.time(), end.time()) for start, end in local} == {(time(9), time(13, 30))}


def test_create_demo_converts_london_mornings_to_utc(app, now):
    with app.app_context():
        result = create_demo(now, "https://aftercue.test", app.extensions["protocols"])
        db.session.commit()
        client = db.session.get(Client, result.client_id)
        assert [(s.starts_at, s.ends_at) for s in client.sessions] == [
            (datetime(2026, 3, 10, 9, 0, tzinfo=UTC), datetime(2026, 3, 10, 13, 30, tzinfo=UTC)),
            (datetime(2026, 3, 18, 9, 0, tzinfo=UTC), datetime(2026, 3, 18, 13, 30, tzinfo=UTC)),
            # 1 April is in British Summer Time: 09:00 in London is 08:00 UTC.
            (datetime(2026, 4, 1, 8, 0, tzinfo=UTC), datetime(2026, 4, 1, 12, 30, tzinfo=UTC)),
        ]
        code = db.session.scalars(sa.select(EnrollmentCode)).one()
        assert code.created_at == now
        assert code.expires_at == now + timedelta(days=7)


def test_the_demo_caseload_has_a_client_for_each_reason_to_call(app, runner):
    run_demo_json(runner)
    with app.app_context():
        clinic_id = db.session.scalar(sa.select(Clinic.id))
        lines = page(clinic_id, datetime.now(UTC), per_page=50, filters=Filters(flag="all")).items
        by_name = {line.client.name: line for line in lines}
        concerns = calls.open_concerns([line.client.id for line in lines], datetime.now(UTC))
        kinds = {
            name: {c.kind for c in concerns.get(line.client.id, [])}
            for name, line in by_name.items()
        }
    assert kinds["Amira Haddad"] == {"missed_critical"}
    assert kinds["Tom Becker"] == {"missed_before_session"}
    assert kinds["Nguyễn Văn An"] == {"schedule"}
    assert kinds["Grace Müller"] == {"silent_phone"}
    assert kinds["Leo Santos"] == set()
    assert by_name["Leo Santos"].summary.adherence == 1.0
