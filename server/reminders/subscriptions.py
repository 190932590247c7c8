"""A phone's push subscription and the client's reminder preferences.

The browser re-sends its subscription at every start and may hand it to another client (a
shared phone); either way the server keeps one row per endpoint and plans reminders for it.
"""

from __future__ import annotations

from datetime import datetime, time

from flask import current_app
from sqlalchemy import Select, delete, select, update

from ..domain.errors import InvalidField
from ..extensions import db
from ..models import Client, Device, PushSubscription, Reminder
from ..models.upsert import insert
from .endpoints import EndpointRefused, Policy, check
from .schedule import schedule

# Reminders not sent yet: a subscription that goes takes these with it.
UNSENT = ("pending", "sending")


def subscribe(device: Device, endpoint: str, keys: dict, now: datetime) -> None:
    """Keep this device's subscription, checked against the push-service allow-list."""
    try:
        check(endpoint, Policy.of(current_app.config))
    except EndpointRefused as error:
        raise InvalidField("endpoint", str(error)) from None
    # The row is taken before it changes hands, so two requests with one endpoint (the page
    # and its worker) wait for each other rather than each deciding alone.
    previous = db.session.execute(
        select(PushSubscription.id, Device.client_id)
        .join(Device, Device.id == PushSubscription.device_id)
        .where(PushSubscription.endpoint == endpoint)
        .with_for_update(of=PushSubscription)
    ).first()
    if previous is not None and previous.client_id != device.client_id:
        # The browser changed hands: the previous client's reminders must not reach it, and
        # what was sent to them stays theirs, as history of no subscription.
        _unplan([previous.id])
    owned = {"device_id": device.id, "p256dh": keys["p256dh"], "auth": keys["auth"]}
    # One statement whoever got here first: a second new subscription with the same endpoint
    # finds the first one's row instead of failing on the unique key.
    db.session.execute(
        insert(PushSubscription)
        .values(endpoint=endpoint, created_at=now, **owned)
        .on_conflict_do_update(index_elements=["endpoint"], set_=owned)
    )
    schedule(device.client, now)


def unsubscribe(device: Device, endpoint: str) -> None:
    """Stop reminders to this device's subscription (another device's is left alone)."""
    remove(
        select(PushSubscription.id).where(
            PushSubscription.endpoint == endpoint, PushSubscription.device_id == device.id
        )
    )


def remove(subscriptions: Select) -> None:
    """Forget these subscriptions (a select of their ids): what they still had to send goes
    with them, what they sent stays as the client's history (models/push.py)."""
    ids = list(db.session.scalars(subscriptions))
    if ids:
        _unplan(ids)
        db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(ids)))


def _unplan(subscription_ids: list[int]) -> None:
    """Drop what these subscriptions still had to send; keep the rest, detached."""
    db.session.execute(
        delete(Reminder).where(
            Reminder.subscription_id.in_(subscription_ids), Reminder.state.in_(UNSENT)
        )
    )
    db.session.execute(
        update(Reminder)
        .where(Reminder.subscription_id.in_(subscription_ids))
        .values(subscription_id=None)
    )


def set_preferences(
    client: Client,
    enabled: bool,
    discreet: bool,
    quiet: tuple[time, time] | tuple[None, None],
    now: datetime,
) -> None:
    """Turn the client's reminders on or off, make them discreet, set quiet hours."""
    client.reminders_enabled, client.reminders_discreet = enabled, discreet
    client.quiet_start, client.quiet_end = quiet
    schedule(client, now)


def settings(device: Device) -> dict:
    """The client's reminder preferences, and whether this device gets them."""
    client = device.client
    subscribed = db.session.scalar(
        select(PushSubscription.id).where(PushSubscription.device_id == device.id).limit(1)
    )
    return {
        "enabled": client.reminders_enabled,
        "discreet": client.reminders_discreet,
        "quiet_start": client.quiet_start,
        "quiet_end": client.quiet_end,
        "subscribed": subscribed is not None,
    }
