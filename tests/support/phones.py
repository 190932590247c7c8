"""A clinic with an enrolled client and two phones, for device-API tests; a tick as sent."""

import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from server.extensions import db
from server.models import Clinic
from server.phone.devices import issue_device
from server.phone.enrollment import issue_code

from .factories import booked, days_from, new_client, with_plan


@dataclass
class Enrolled:
    client_id: int
    phone: dict  # request headers of device 1
    tablet: dict  # request headers of device 2
    code: str  # an unused enrollment code
    occurrences: list[str]
    due: list[str]  # those whose day has begun (a tick made now is honest), in plan order


def make_client(
    app, now, clinic_name="Clinic A", protocol="scalp-nation", answers=None, days=(-3, 25)
) -> Enrolled:
    with app.app_context():
        clinic = Clinic(name=clinic_name, created_at=now)
        client = new_client(
            clinic=clinic,
            protocol=protocol,
            answers=answers,
            created_at=booked(now),
            sessions=days_from(now, days),
        )
        with_plan(client, app.extensions["protocols"], now)
        _, phone = issue_device(client.id, "phone", booked(now))
        _, tablet = issue_device(client.id, "tablet", booked(now))
        code = issue_code(client, now)
        db.session.commit()
        return Enrolled(
            client_id=client.id,
            phone={"Authorization": f"Bearer {phone}"},
            tablet={"Authorization": f"Bearer {tablet}"},
            code=code,
            occurrences=[o["id"] for o in client.plan.content["occurrences"]],
            due=[
                o["id"]
                for o in client.plan.content["occurrences"]
                if o["date"] <= now.astimezone(ZoneInfo(client.timezone)).date().isoformat()
            ],
        )


def tick(occurrence, action="done", at="2026-03-20T08:00:00.000+00:00", event_id=None):
    return {
        "id": event_id or str(uuid.uuid4()),
        "occurrence": occurrence,
        "action": action,
        "at": at,
    }


# A browser's push subscription keys: p256dh a point on P-256, auth 16 bytes.
KEYS = {
    "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u"
    "-Ts1XbjhazAkj7I99e8QcYP7DkM",
    "auth": "tBHItJI5svbpez7KI4CCXg",
}
