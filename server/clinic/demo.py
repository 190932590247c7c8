"""A demo clinic, clinician and client, so a fresh install has something to look at.

The first run also gives the clinic a small caseload, as a clinic has on a real morning: a
client who missed tasks in the first days of healing, one who skipped pre-care with a session
in two days, one whose second session was entered twice, one whose phone went quiet, and one
doing everything right. Their histories are ticks synced from their phones.
"""

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from ..domain.sync import Event
from ..extensions import db
from ..models import Client, Clinic, Clinician, PlanOccurrence, TreatmentSession
from ..phone.devices import issue_device
from ..phone.enrollment import issue_link
from ..phone.sync import sync
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

    if clinician.clinic.id is None:  # a new clinic: its morning's caseload
        add_caseload(clinician.clinic, now, registry)
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


@dataclass(frozen=True)
class CaseloadClient:
    name: str
    contact: str
    protocol: str
    answers: dict
    session_days: tuple[int, ...]  # days from today, at SESSION_HOURS
    phone_days: int  # the phone connected this many days ago
    quiet_hours: int = 0  # the phone has not synced for this long
    skip: int = 0  # how many of the earliest tasks due went unticked
    skip_from_day: int | None = None  # ... counting from this day of the plan (0: today)


CASELOAD = (
    CaseloadClient(
        "Amira Haddad",
        "+44 7700 900107",
        "scalp-nation",
        {"hair_length": "shaved"},
        (-3,),
        phone_days=4,
        skip=2,
        skip_from_day=-2,
    ),
    CaseloadClient(
        "Tom Becker",
        "tom.becker@example.com",
        "seven-derma",
        {"hair_length": "shaved", "gender": "man"},
        (2, 16),
        phone_days=9,
        skip=2,
        skip_from_day=-3,
    ),
    CaseloadClient(
        "Nguyễn Văn An",
        "+44 7700 900231",
        "scalp-nation",
        {"hair_length": "short"},
        (5, 5),
        phone_days=1,
    ),
    CaseloadClient(
        "Grace Müller",
        "+49 151 23456789",
        "scalp-nation",
        {"hair_length": "shaved"},
        (-5,),
        phone_days=6,
        quiet_hours=60,
    ),
    CaseloadClient(
        "Leo Santos",
        "leo.santos@example.com",
        "scalp-nation",
        {"hair_length": "shaved"},
        (-2,),
        phone_days=3,
    ),
)


def add_caseload(clinic: Clinic, now: datetime, registry: Registry) -> None:
    """The clinic's demo caseload (CASELOAD), each with a plan and their phone's ticks."""
    zone = ZoneInfo(CLIENT_ZONE)
    today = now.astimezone(zone).date()
    for person in CASELOAD:
        client = Client(
            clinic=clinic,
            name=person.name,
            contact=person.contact,
            timezone=CLIENT_ZONE,
            protocol_id=person.protocol,
            answers=dict(person.answers),
            created_at=now - timedelta(days=person.phone_days + 1),
        )
        for offset in person.session_days:
            day = today + timedelta(days=offset)
            starts_at, ends_at = (
                datetime.combine(day, hour, tzinfo=zone).astimezone(UTC) for hour in SESSION_HOURS
            )
            client.sessions.append(TreatmentSession(starts_at=starts_at, ends_at=ends_at))
        db.session.add(client)
        db.session.flush()
        rebuild(client, registry, now)
        device, _ = issue_device(client.id, "phone", now - timedelta(days=person.phone_days))
        db.session.flush()
        synced = now - timedelta(hours=person.quiet_hours)
        due = db.session.scalars(
            select(PlanOccurrence)
            .where(
                PlanOccurrence.client_id == client.id,
                PlanOccurrence.optional.is_(False),
                PlanOccurrence.due_end <= synced,
                PlanOccurrence.due_start >= device.created_at,
            )
            .order_by(PlanOccurrence.due_end)
        ).all()
        skipped = [
            o.occurrence_id
            for o in due
            if person.skip_from_day is not None
            and o.local_date >= today + timedelta(days=person.skip_from_day)
        ][: person.skip]
        ticks = [
            Event(uuid.uuid4(), o.occurrence_id, "done", o.due_start.replace(microsecond=0))
            for o in due
            if o.occurrence_id not in skipped
        ]
        sync(device, ticks, 0, None, synced)
