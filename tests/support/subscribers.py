"""Enrolled clients for reminder tests: a plan from one real session, phones, subscriptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from server.extensions import db
from server.models import Client, Clinic, PushSubscription, Reminder
from server.phone.devices import issue_device
from server.reminders.schedule import schedule

from .factories import new_client, with_plan

SUBSCRIPTIONS = "/api/v1/me/push-subscriptions"


@dataclass
class Person:
    client_id: int
    phones: list[dict]  # request headers, one per device
    device_ids: list[int]

    @property
    def phone(self) -> dict:
        return self.phones[0]


def enroll(
    app,
    at: datetime,
    session_start: datetime,
    protocol: str = "scalp-nation",
    zone: str = "Europe/London",
    devices: int = 1,
) -> Person:
    """A client with one four-hour session at `session_start` and `devices` signed-in phones."""
    with app.app_context():
        client = new_client(
            clinic=Clinic(name="Clinic", created_at=at),
            zone=zone,
            protocol=protocol,
            created_at=at,
            sessions=[(session_start, session_start + timedelta(hours=4))],
        )
        with_plan(client, app.extensions["protocols"], at)
        issued = [issue_device(client.id, f"phone {n}", at) for n in range(devices)]
        db.session.commit()
        return Person(
            client.id,
            [{"Authorization": f"Bearer {token}"} for _, token in issued],
            [device.id for device, _ in issued],
        )


def subscribe(http, headers: dict, push_service, **restrict):
    """Subscribe in the push service and register the subscription as the app would."""
    subscription = push_service.subscribe(**restrict)
    response = http.post(SUBSCRIPTIONS, json=subscription, headers=headers)
    assert response.status_code == 201, response.get_json()
    return subscription


def add_subscription(app, person: Person, endpoint: str, keys: dict, now: datetime) -> int:
    """A subscription row stored directly, past the API's checks, with its reminders planned."""
    with app.app_context():
        row = PushSubscription(
            device_id=person.device_ids[0],
            endpoint=endpoint,
            p256dh=keys["p256dh"],
            auth=keys["auth"],
            created_at=now,
        )
        db.session.add(row)
        db.session.flush()
        schedule(db.session.get(Client, person.client_id), now)
        db.session.commit()
        return row.id


def slot_occurrences(app, client_id: int, key: str) -> list[str]:
    """The plan's occurrence ids for a "date|slot" key, in the plan's order."""
    day, slot = key.split("|")[:2]
    with app.app_context():
        content = db.session.get(Client, client_id).plan.content
    return [o["id"] for o in content["occurrences"] if o["date"] == day and o["slot"] == slot]


def reminder_rows(app, **where) -> list[dict]:
    """Reminder rows as plain dicts, by due time, optionally filtered by column values."""
    with app.app_context():
        query = select(Reminder).order_by(Reminder.due_at, Reminder.id)
        for name, value in where.items():
            query = query.where(getattr(Reminder, name) == value)
        return [
            {column.name: getattr(row, column.name) for column in Reminder.__table__.columns}
            for row in db.session.scalars(query)
        ]


def subscription_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(PushSubscription.id).order_by(PushSubscription.id)))


def subscribe_many(
    app, push_service, at: datetime, session_start: datetime, people: int, each: int
):
    """`people` clients with `each` push-service subscriptions stored on their first phone."""
    subscriptions = []
    for _ in range(people):
        person = enroll(app, at, session_start)
        for _ in range(each):
            subscription = push_service.subscribe()
            add_subscription(app, person, subscription["endpoint"], subscription["keys"], at)
            subscriptions.append(subscription)
    return subscriptions


def keep_only(app, key: str) -> None:
    """Delete every reminder but those for `key`, so only they can come due."""
    with app.app_context():
        db.session.execute(delete(Reminder).where(Reminder.key != key))
        db.session.commit()
