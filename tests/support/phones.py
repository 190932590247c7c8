"""A clinic with an enrolled client and two phones, for device-API tests."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from server.extensions import db
from server.models import Client, Clinic, TreatmentSession
from server.phone.devices import issue_device
from server.phone.enrollment import issue_code
from server.plans.store import rebuild


@dataclass
class Enrolled:
    client_id: int
    phone: dict  # request headers of device 1
    tablet: dict  # request headers of device 2
    code: str  # an unused enrollment code
    occurrences: list[str]


def make_client(app, now, clinic_name="Clinic A", protocol="scalp-nation") -> Enrolled:
    with app.app_context():
        clinic = Clinic(name=clinic_name, created_at=now)
        client = Client(
            clinic=clinic,
            name="Sam",
            timezone="Europe/London",
            protocol_id=protocol,
            answers={"hair_length": "shaved"},
            created_at=now,
        )
        for days in (-3, 25):
            start = now + timedelta(days=days)
            client.sessions.append(
                TreatmentSession(starts_at=start, ends_at=start + timedelta(hours=4))
            )
        db.session.add(client)
        db.session.flush()
        rebuild(client, app.extensions["protocols"], now)
        _, phone = issue_device(client.id, "phone", now)
        _, tablet = issue_device(client.id, "tablet", now)
        code = issue_code(client, now)
        db.session.commit()
        return Enrolled(
            client_id=client.id,
            phone={"Authorization": f"Bearer {phone}"},
            tablet={"Authorization": f"Bearer {tablet}"},
            code=code,
            occurrences=[o["id"] for o in client.plan.content["occurrences"]],
        )


def tick(occurrence, action="done", at="2026-03-20T08:00:00.000+00:00", event_id=None):
    import uuid

    return {
        "id": event_id or str(uuid.uuid4()),
        "occurrence": occurrence,
        "action": action,
        "at": at,
    }


NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
