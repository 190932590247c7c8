"""A demo clinic, clinician and client, so a fresh install has something to look at."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from ..extensions import db
from ..models import Client, Clinic, Clinician, TreatmentSession
from ..phone.enrollment import issue_link
from ..plans.registry import Registry
from ..plans.store import rebuild

CLINIC_NAME = "Aftercue Demo Clinic"
CLINICIAN_EMAIL = "demo@aftercue.example"
CLIENT_ZONE = "Europe/London"
# Two sessions done (one in the first days of healing, one well into it) and one to come.
SESSION_DAYS = (-10, -2, 12)
SESSION_HOURS = (time(9, 0), time(13, 30))


@dataclass(frozen=True)
class DemoResult:
    """What a person needs to try the demo."""

    clinician_email: str
    clinician_password: str
    enroll_url: str
    enroll_code: str
    client_id: int


def create_demo(now: datetime, public_url: str, registry: Registry) -> DemoResult:
    """Ensure the demo clinic and clinician exist, reset the password, and add a new client."""
    clinician = db.session.scalar(select(Clinician).where(Clinician.email == CLINICIAN_EMAIL))
    if clinician is None:
        clinic = db.session.scalar(select(Clinic).where(Clinic.name == CLINIC_NAME))
        clinic = clinic or Clinic(name=CLINIC_NAME, timezone=CLIENT_ZONE, created_at=now)
        clinician = Clinician(
            clinic=clinic, email=CLINICIAN_EMAIL, name="Demo Admin", role="admin", created_at=now
        )
        db.session.add(clinician)
    # A fresh password each run: it is printed, never stored in plain text, so the one on screen
    # is always the one that works.
    password = secrets.token_urlsafe(12)
    clinician.set_password(password)
    clinician.active = True

    client = add_demo_client(clinician.clinic, now)
    link = issue_link(client, public_url, now)
    db.session.flush()
    rebuild(client, registry, now)
    return DemoResult(
        clinician_email=clinician.email,
        clinician_password=password,
        enroll_url=link["url"],
        enroll_code=link["code"],
        client_id=client.id,
    )


def add_demo_client(clinic: Clinic, now: datetime) -> Client:
    """Add a numbered demo client to `clinic` with sessions around `now`."""
    db.session.flush()  # so a clinic made just now has an id to count by
    count = db.session.scalar(select(func.count(Client.id)).where(Client.clinic_id == clinic.id))
    zone = ZoneInfo(CLIENT_ZONE)
    today = now.astimezone(zone).date()
    client = Client(
        clinic=clinic,
        name=f"Demo client {count + 1}",
        timezone=CLIENT_ZONE,
        protocol_id="scalp-nation",
        answers={"hair_length": "shaved"},
        created_at=now,
    )
    for offset in SESSION_DAYS:
        day = today + timedelta(days=offset)
        # Local clock times first, then UTC, so a session stays 09:00 across a DST change.
        starts_at, ends_at = (
            datetime.combine(day, hour, tzinfo=zone).astimezone(UTC) for hour in SESSION_HOURS
        )
        client.sessions.append(TreatmentSession(starts_at=starts_at, ends_at=ends_at))
    db.session.add(client)
    return client
