"""Device tokens: how a client's phone proves who it is, without a password; and the one way a
phone is disconnected, whoever does it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Device, PushSubscription
from ..reminders.subscriptions import remove
from .delivery import delivered


def hash_token(token: str) -> str:
    # 256 random bits: a fast hash is enough, and it lets us look the token up by its hash.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_device(client_id: int, label: str | None, now: datetime) -> tuple[Device, str]:
    """A new device for the client and its token, shown once and stored only as a hash."""
    token = secrets.token_urlsafe(32)
    device = Device(client_id=client_id, token_hash=hash_token(token), label=label, created_at=now)
    db.session.add(device)
    # A phone fetches its plan as soon as it connects (adherence counts from then, as before).
    delivered(client_id, now)
    return device, token


def signed_in_device(token: str) -> Device | None:
    """The device this token signs in, unless it was signed out or revoked."""
    device = db.session.scalar(select(Device).where(Device.token_hash == hash_token(token)))
    return device if device is not None and device.revoked_at is None else None


def disconnect(device: Device, now: datetime) -> bool:
    """Sign this device out for good, and stop its reminders, in the caller's transaction.

    The clinic revoking a lost phone and the phone signing itself out (at once, or later when
    an offline sign-out reaches the server) both come here: the token stops working, and the
    device's push subscriptions go with the reminders they had yet to send, so none is sent to
    it again (what was sent stays as history); one already claimed is checked when sent
    (reminders/courier.py). False when it was disconnected already.
    """
    remove(select(PushSubscription.id).where(PushSubscription.device_id == device.id))
    if device.revoked_at is not None:
        return False
    device.revoked_at = now
    return True
