"""Two clinics, each with a clinician, a client with a plan and a phone; and a signed-in browser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from server.extensions import db
from server.models import AdherenceEvent, Client, Clinic, Clinician, TreatmentSession
from server.phone.devices import issue_device
from server.plans.store import rebuild

PASSWORD = "correct horse battery staple"
SESSION_URL = "/api/v1/clinic/session"


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
        client = Client(
            clinic=clinic,
            name=client_name,
            timezone="Europe/London",
            protocol_id="scalp-nation",
            answers={"hair_length": "shaved"},
            created_at=now,
        )
        for days in (-3, 25):
            start = now + timedelta(days=days)
            client.sessions.append(
                TreatmentSession(starts_at=start, ends_at=start + timedelta(hours=4))
            )
        db.session.add_all([*people, client])
        db.session.flush()
        rebuild(client, app.extensions["protocols"], now)
        device, token = issue_device(client.id, "phone", now)
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


def add_client(app, now: datetime, clinic_id: int, name: str, session_days=(-3,)) -> int:
    """Another client of a clinic, with sessions `session_days` from now and a plan."""
    with app.app_context():
        client = Client(
            clinic_id=clinic_id,
            name=name,
            timezone="Europe/London",
            protocol_id="scalp-nation",
            answers={"hair_length": "shaved"},
            created_at=now,
        )
        for days in session_days:
            start = now + timedelta(days=days)
            client.sessions.append(
                TreatmentSession(starts_at=start, ends_at=start + timedelta(hours=4))
            )
        db.session.add(client)
        db.session.flush()
        rebuild(client, app.extensions["protocols"], now)
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
