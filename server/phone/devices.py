"""Device tokens: how a client's phone proves who it is, without a password."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import g, request
from sqlalchemy import select

from .errors import ApiError
from .extensions import db
from .models import Device


def hash_token(token: str) -> str:
    # 256 random bits: a fast hash is enough, and it lets us look the token up by its hash.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_device(client_id: int, label: str | None, now: datetime) -> tuple[Device, str]:
    """A new device for the client and its token, shown once and stored only as a hash."""
    token = secrets.token_urlsafe(32)
    device = Device(client_id=client_id, token_hash=hash_token(token), label=label, created_at=now)
    db.session.add(device)
    return device, token


def authenticate_device() -> None:
    """Load the request's device from its Bearer token into `g.device`, or refuse with 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    device = None
    if scheme.lower() == "bearer" and token:
        device = db.session.scalar(
            select(Device).where(Device.token_hash == hash_token(token.strip()))
        )
    if device is None or device.revoked_at is not None:
        raise signed_out()
    g.device = device


def signed_out() -> ApiError:
    error = ApiError(401, "unauthorized", "This device is not signed in, or was signed out.")
    error.www_authenticate = 'Bearer realm="aftercue"'
    return error


def current_device() -> Device:
    return g.device
