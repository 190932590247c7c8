"""Models and the database settings they rely on, on every backend."""

from datetime import UTC, datetime, time, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from server.extensions import db
from server.models import Client, Clinic, Clinician, TreatmentSession

IST = timezone(timedelta(hours=5, minutes=30))


@pytest.fixture
def clinic(app, now):
    with app.app_context():
        clinic = Clinic(name="Test Clinic", created_at=now)
        db.session.add(clinic)
        db.session.commit()
        yield clinic


def make_client(clinic, **fields):
    fields = {"name": "Sam", "timezone": "Europe/London", "protocol_id": "scalp-nation", **fields}
    return Client(clinic=clinic, **fields)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_pragmas_are_in_effect(app):
    with app.app_context(), db.engine.connect() as connection:

        def pragma(name):
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") == 15000
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL


def test_datetimes_come_back_aware_utc(clinic, now):
    starts_at = datetime(2026, 3, 20, 14, 30, tzinfo=IST)
    client = make_client(clinic)
    client.sessions.append(
        TreatmentSession(starts_at=starts_at, ends_at=starts_at + timedelta(hours=4))
    )
    db.session.add(client)
    db.session.commit()
    db.session.expire_all()

    session = db.session.scalars(sa.select(TreatmentSession)).one()
    assert session.starts_at == datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    assert session.starts_at.tzinfo is UTC
    assert session.client.created_at.tzinfo is UTC
    # Comparisons in SQL see the same instant, whatever zone the parameter is in.
    found = db.session.scalar(
        sa.select(TreatmentSession.id).where(TreatmentSession.starts_at == starts_at)
    )
    assert found == session.id


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_stores_utc_wall_time(clinic):
    clinic.created_at = datetime(2026, 3, 20, 14, 30, tzinfo=IST)
    db.session.commit()
    raw = db.session.execute(sa.text("SELECT created_at FROM clinics")).scalar()
    assert raw.startswith("2026-03-20 09:00:00")


def test_naive_datetimes_are_refused(clinic):
    clinic.created_at = datetime(2026, 3, 20, 12, 0)  # naive on purpose
    with pytest.raises(StatementError, match="naive datetime"):
        db.session.commit()


def test_session_must_end_after_it_starts(clinic, now):
    client = make_client(clinic)
    client.sessions.append(TreatmentSession(starts_at=now, ends_at=now))
    db.session.add(client)
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_foreign_keys_are_enforced(app):
    with app.app_context():
        db.session.add(
            Client(clinic_id=999, name="Orphan", timezone="UTC", protocol_id="scalp-nation")
        )
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_client_defaults_and_ordered_sessions(clinic, now):
    client = make_client(clinic)
    later, earlier = now + timedelta(days=2), now - timedelta(days=2)
    for start in (later, earlier):
        client.sessions.append(
            TreatmentSession(starts_at=start, ends_at=start + timedelta(hours=4))
        )
    db.session.add(client)
    db.session.commit()
    db.session.expire_all()

    assert client.wake_time == time(7, 0)
    assert client.bed_time == time(23, 0)
    assert client.answers == {}
    assert [s.starts_at for s in client.sessions] == [earlier, later]


def test_deleting_a_client_deletes_its_sessions_in_the_database(clinic, now):
    client = make_client(clinic)
    client.sessions.append(TreatmentSession(starts_at=now, ends_at=now + timedelta(hours=4)))
    db.session.add(client)
    db.session.commit()
    # Core DELETE bypasses the ORM cascade, so only ON DELETE CASCADE can remove the session.
    db.session.execute(sa.delete(Client))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(TreatmentSession.id))) == 0


def test_client_timezone_must_be_known(clinic):
    with pytest.raises(ValueError, match="Mars/Olympus_Mons"):
        make_client(clinic, timezone="Mars/Olympus_Mons")


def test_clinician_email_is_lower_case_and_unique(clinic):
    db.session.add(Clinician(clinic=clinic, email=" Ana@Example.COM ", name="Ana"))
    db.session.commit()
    assert db.session.scalar(sa.select(Clinician.email)) == "ana@example.com"

    db.session.add(Clinician(clinic=clinic, email="ANA@example.com", name="Ana again"))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_clinician_role_is_checked(clinic):
    db.session.add(Clinician(clinic=clinic, email="x@example.com", name="X", role="owner"))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_clinician_password(clinic):
    clinician = Clinician(clinic=clinic, email="ana@example.com", name="Ana")
    assert not clinician.check_password("")
    clinician.set_password("correct horse")
    assert clinician.password_hash.startswith("$argon2id$")
    assert "correct horse" not in clinician.password_hash
    assert clinician.check_password("correct horse")
    assert not clinician.check_password("wrong horse")
    clinician.password_hash = "not a hash"
    assert not clinician.check_password("correct horse")
