"""Builders of the rows most tests start from: a client with sessions, and their plan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from server.extensions import db
from server.models import Client, Clinic, Device, PushSubscription, Reminder, TreatmentSession
from server.plans.registry import Registry
from server.plans.store import rebuild

ZONE = "Europe/London"
SHAVED = {"hair_length": "shaved"}


# Clinics add a client when they book the first session: the test clients were added, and
# their phones connected, this long before `now` (before their first session), so what fell
# due since the session counts (clinic/concerns.py counts from the later of the two).
BOOKED_DAYS_AGO = 30


def booked(now: datetime) -> datetime:
    """When a test client was added and their phone connected."""
    return now - timedelta(days=BOOKED_DAYS_AGO)


def days_from(now: datetime, days: Iterable[int], hours: float = 4) -> list[tuple]:
    """(start, end) of sessions starting `days` from `now`, each `hours` long."""
    return [(now + timedelta(days=d), now + timedelta(days=d, hours=hours)) for d in days]


def new_client(
    *,
    created_at: datetime,
    sessions: Iterable[tuple[datetime, datetime]] = (),
    name: str = "Sam",
    clinic: Clinic | None = None,
    clinic_id: int | None = None,
    zone: str = ZONE,
    protocol: str = "scalp-nation",
    answers: Mapping[str, str] | None = None,
) -> Client:
    """A client of `clinic` (or `clinic_id`) with these sessions, not yet added."""
    owner = {"clinic": clinic} if clinic is not None else {"clinic_id": clinic_id}
    client = Client(
        **owner,
        name=name,
        timezone=zone,
        protocol_id=protocol,
        answers=dict(SHAVED if answers is None else answers),
        created_at=created_at,
    )
    for start, end in sessions:
        client.sessions.append(TreatmentSession(starts_at=start, ends_at=end))
    return client


def with_plan(client: Client, registry: Registry, now: datetime) -> Client:
    """Add the client and build their plan, as adding a client from the dashboard does."""
    db.session.add(client)
    db.session.flush()
    rebuild(client, registry, now)
    return client


def sent_reminder(device: Device, client_id: int, now: datetime, tag: str) -> Reminder:
    """A reminder sent just now to a new subscription of `device`: something to snooze."""
    subscription = PushSubscription(
        device_id=device.id,
        endpoint=f"https://fcm.googleapis.com/fcm/send/{tag}{device.id}",
        p256dh="BA",
        auth="AA",
        created_at=now,
    )
    db.session.add(subscription)
    db.session.flush()
    reminder = Reminder(
        subscription_id=subscription.id,
        client_id=client_id,
        key=f"{tag}{device.id}",
        slot="morning",
        occurrence_ids=[],
        task_ids=[],
        due_at=now,
        expires_at=now + timedelta(hours=1),
        state="sent",
        attempts=1,
        snoozes=0,
    )
    db.session.add(reminder)
    return reminder
