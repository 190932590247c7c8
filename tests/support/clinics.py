"""Two clinics, each with a clinician, a client with a plan and a phone; and a signed-in browser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import select

from server.extensions import db
from server.models import (
    AdherenceEvent,
    Client,
    Clinic,
    Clinician,
    PlanOccurrence,
)
from server.phone.devices import issue_device

from .factories import booked, days_from, new_client, with_plan

PASSWORD = "correct horse battery staple"
SESSION_URL = "/api/v1/clinic/session"
CLIENTS_URL = "/api/v1/clinic/clients"
# A new client as the API takes it: two sessions, one in another offset.
NEW = {
    "name": "  Ann Lee ",
    "contact": "+44 7700 900123",
    "timezone": "America/New_York",
    "protocol_id": "scalp-nation",
    "answers": {},
    "wake": "06:30",
    "bed": "22:00",
    "sessions": [
        {"start": "2026-03-25T14:00:00Z", "end": "2026-03-25T18:00:00Z"},
        {"start": "2026-04-08T10:00:00-04:00", "end": "2026-04-08T14:00:00-04:00"},
    ],
}


@dataclass
class ClinicData:
    clinic_id: int
    clinician: str  # email of a clinician with role "clinician"
    admin: str  # email of one with role "admin"
    client_id: int
    past_session_id: int
    future_session_id: int
    device_id: int
    phone: dict  # request headers of the client's phone


@dataclass
class World:
    a: ClinicData
    b: ClinicData


def make_clinic(app, now: datetime, name: str, domain: str, client_name: str) -> ClinicData:
    """A clinic with two clinicians and one client (sessions 3 days ago and in 25 days)."""
    with app.app_context():
        clinic = Clinic(name=name, created_at=now)
        people = []
        for role in ("clinician", "admin"):
            person = Clinician(
                clinic=clinic, email=f"{role}@{domain}", name=f"{role} of {name}", role=role
            )
            person.set_password(PASSWORD)
            people.append(person)
        db.session.add_all(people)
        client = with_plan(
            new_client(
                clinic=clinic,
                name=client_name,
                created_at=booked(now),
                sessions=days_from(now, (-3, 25)),
            ),
            app.extensions["protocols"],
            now,
        )
        device, token = issue_device(client.id, "phone", booked(now))
        device.last_seen_at = now  # synced just now: its misses are known
        db.session.commit()
        past, future = client.sessions
        return ClinicData(
            clinic_id=clinic.id,
            clinician=people[0].email,
            admin=people[1].email,
            client_id=client.id,
            past_session_id=past.id,
            future_session_id=future.id,
            device_id=device.id,
            phone={"Authorization": f"Bearer {token}"},
        )


class Browser:
    """A test client that behaves like the dashboard: cookie session plus X-CSRFToken."""

    def __init__(self, client) -> None:
        self.client = client
        self.csrf_token = None

    def refresh_token(self) -> dict:
        state = self.client.get(SESSION_URL).get_json()
        self.csrf_token = state["csrf_token"]
        return state

    def sign_in(self, email: str, password: str = PASSWORD):
        if self.csrf_token is None:
            self.refresh_token()
        response = self.post(SESSION_URL, json={"email": email, "password": password})
        if response.status_code == 200:
            self.csrf_token = response.get_json()["csrf_token"]
        return response

    def open(self, method: str, path: str, headers: dict | None = None, **kwargs):
        headers = {"X-CSRFToken": self.csrf_token or "", **(headers or {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.open("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.open("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.open("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.open("DELETE", path, **kwargs)


def add_client(
    app, now: datetime, clinic_id: int, name: str, session_days=(-3,), phone: bool = True
) -> int:
    """Another client of a clinic, with sessions `session_days` from now, a plan and (unless
    not `phone`) a phone that synced just now."""
    with app.app_context():
        client = new_client(
            clinic_id=clinic_id,
            name=name,
            created_at=booked(now),
            sessions=days_from(now, session_days),
        )
        with_plan(client, app.extensions["protocols"], now)
        if phone:
            device, _ = issue_device(client.id, "phone", booked(now))
            device.last_seen_at = now
        db.session.commit()
        return client.id


def add_events(app, client_id: int, events, received_at: datetime, device_id=None) -> None:
    """Store events (occurrence, action, device time, event id) as sync would, in order."""
    with app.app_context():
        seq = db.session.get(Client, client_id).event_seq
        for occurrence, action, at, event_id in events:
            seq += 1
            db.session.add(
                AdherenceEvent(
                    client_id=client_id,
                    seq=seq,
                    event_id=UUID(event_id) if isinstance(event_id, str) else event_id,
                    occurrence_id=occurrence,
                    action=action,
                    device_at=at,
                    device_utc_offset_minutes=int(at.utcoffset().total_seconds() // 60),
                    received_at=received_at,
                    device_id=device_id,
                )
            )
        db.session.get(Client, client_id).event_seq = seq
        db.session.commit()


def tick_all(app, client_id, now, *, on_days=None):
    """Tick every required occurrence whose time is up (only on `on_days`, if given)."""
    with app.app_context():
        rows = db.session.scalars(
            select(PlanOccurrence).where(
                PlanOccurrence.client_id == client_id,
                PlanOccurrence.active.is_(True),
                PlanOccurrence.due_end <= now,
            )
        ).all()
        chosen = [o for o in rows if on_days is None or o.local_date in on_days]
        events = [(o.occurrence_id, "done", o.due_start, uuid4()) for o in chosen]
    add_events(app, client_id, events, now)
