"""Migrate an empty database and add clinics (each with a clinician at its desk), clients and
one enrollment code per device.

Run as `python -m tests.chaos.seed CLINICS CLIENTS DEVICES` with DATABASE_URL and the other
settings in the environment (servers.server_env); prints a JSON list, one entry per client:
`{"client_id", "desk": the email of a clinician of its clinic, "codes": [one per device]}`.
Devices are dealt to clients in turn, so with more devices than clients the first clients
get a second phone. Every desk signs in with DESK_PASSWORD.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import flask_migrate

from server import create_app
from server.extensions import db
from server.models import Clinic, Clinician
from server.phone.enrollment import issue_code
from tests.support.factories import days_from, new_client, with_plan

# A first session three days ago and one to come: every plan has tasks due now and later.
SESSION_DAYS = (-3, 25)
DESK_PASSWORD = "chaos desk password"


def seed(registry, clinics: int, clients: int, devices: int, now: datetime) -> list[dict]:
    protocols = sorted(loaded.protocol.id for loaded in registry)
    made = []
    for number in range(clinics):
        clinic = Clinic(name=f"Chaos clinic {number + 1}", created_at=now)
        desk = Clinician(clinic=clinic, email=f"desk{number + 1}@chaos.test", name="Desk")
        desk.set_password(DESK_PASSWORD)
        db.session.add(desk)
    db.session.flush()
    clinic_ids = list(db.session.scalars(db.select(Clinic.id).order_by(Clinic.id)))
    for number in range(clients):
        loaded = registry.get(protocols[number % len(protocols)])
        client = new_client(
            clinic_id=clinic_ids[number % clinics],
            name=f"Chaos client {number + 1}",
            protocol=loaded.protocol.id,
            answers={q.id: q.default for q in loaded.protocol.questions},
            created_at=now,
            sessions=days_from(now, SESSION_DAYS),
        )
        with_plan(client, registry, now)
        made.append({"client": client, "desk": number % clinics + 1, "codes": []})
    for number in range(devices):
        entry = made[number % clients]
        entry["codes"].append(issue_code(entry["client"], now))
    db.session.commit()
    return [
        {"client_id": e["client"].id, "desk": f"desk{e['desk']}@chaos.test", "codes": e["codes"]}
        for e in made
    ]


def main() -> None:
    clinics, clients, devices = (int(arg) for arg in sys.argv[1:4])
    app = create_app()
    with app.app_context():
        flask_migrate.upgrade()
        seeded = seed(app.extensions["protocols"], clinics, clients, devices, datetime.now(UTC))
        print(json.dumps(seeded))
        db.engine.dispose()


if __name__ == "__main__":
    main()
