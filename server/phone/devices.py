"""Device tokens: how a client's phone proves who it is, without a password."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Device


def hash_token(token: str) -> str:
    # 256 random bits: a fast hash is enough, and it lets us look the token up by its hash.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_device(client_id: int, label: str | None, now: datetime) -> tuple[Device, str]:
    """A new device for the client and its token, shown once and stored only as a hash."""
    token = secrets.token_urlsafe(32)
    device = Device(client_id=client_id, token_hash=hash_token(token), label=label, created_at=now)
    db.session.add(device)
    return device, token


def signed_in_device(token: str) -> Device | None:
    """The device this token signs in, unless it was signed out or revoked."""
    device = db.session.scalar(select(Device).where(Device.token_hash == hash_token(token)))
    return device if device is not None and device.revoked_at is None else None


def sign_out(device: Device, now: datetime) -> None:
    """Sign this device out for good: its token stops working at once."""
    device.revoked_at = now
