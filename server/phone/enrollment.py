"""Enrollment codes: one-time links that bring a client's device into their aftercare plan.

A client has at most one link that works: a new one cancels the older unused ones, and the
clinic can cancel it (with a revoked phone, or on its own). Only a code's hash is kept.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Client, Clinician, EnrollmentCode
from .devices import issue_device

CODE_LIFETIME = timedelta(days=7)


def hash_code(code: str) -> str:
    """Return the sha256 hex digest under which `code` is stored."""
    # No salt or slow hash needed: the code is random with 192 bits, not a chosen password.
    return hashlib.sha256(code.encode()).hexdigest()


def issue_code(client: Client, now: datetime, by: Clinician | None = None) -> str:
    """Store a new code for `client`, valid for CODE_LIFETIME, and return it in plain text."""
    code = secrets.token_urlsafe(24)
    db.session.add(
        EnrollmentCode(
            client=client,
            code_hash=hash_code(code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
            issued_by=by,
        )
    )
    return code


def issue_link(client: Client, public_url: str, now: datetime, by: Clinician | None = None):
    """A new one-time link for the client's phone: its code (shown once), URL and expiry.

    The client's older unused links stop working: the one just sent is the one that counts.
    """
    if client.id is not None:
        cancel_unused(client.id, now)
    code = issue_code(client, now, by)
    return {"code": code, "url": enroll_url(public_url, code), "expires_at": now + CODE_LIFETIME}


def outstanding(client_id: int, now: datetime) -> list[EnrollmentCode]:
    """The client's links that would still work, newest first."""
    return db.session.scalars(
        select(EnrollmentCode)
        .options(joinedload(EnrollmentCode.issued_by))  # who issued each, in the same read
        .where(EnrollmentCode.client_id == client_id, *_usable(now))
        .order_by(EnrollmentCode.created_at.desc(), EnrollmentCode.id.desc())
    ).all()


def usable(client_id: int, code: str, now: datetime) -> EnrollmentCode | None:
    """The client's link with this code, if it would still work."""
    return db.session.scalar(
        select(EnrollmentCode).where(
            EnrollmentCode.client_id == client_id,
            EnrollmentCode.code_hash == hash_code(code),
            *_usable(now),
        )
    )


def cancel_unused(client_id: int, now: datetime) -> int:
    """Stop every link of the client that would still work; return how many."""
    return db.session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.client_id == client_id, *_usable(now))
        .values(cancelled_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount


def _usable(now: datetime) -> tuple:
    return (
        EnrollmentCode.used_at.is_(None),
        EnrollmentCode.cancelled_at.is_(None),
        EnrollmentCode.expires_at > now,
    )


def enroll_url(public_url: str, code: str) -> str:
    """Return the link a client opens to enroll with `code`."""
    # The code rides in the fragment, which browsers never send, so it stays out of server
    # and proxy logs; the page reads it and posts it to the API.
    return f"{public_url}/enroll#{code}"


class InvalidCode(Exception):
    """Unknown, used, cancelled or expired: deliberately one error, so a guess learns nothing."""


def preview(code: str, now: datetime) -> Client:
    """The client a code would enroll this phone with, without using the code up.

    A phone that already holds a plan asks before it switches; it needs to say to whom.
    Whoever holds the code could redeem it, so this tells them nothing more.
    """
    client_id = db.session.scalar(
        select(EnrollmentCode.client_id).where(
            EnrollmentCode.code_hash == hash_code(code), *_usable(now)
        )
    )
    if client_id is None:
        raise InvalidCode
    return db.session.get(Client, client_id)


def redeem(code: str, now: datetime, label: str | None) -> tuple[Client, str]:
    """Use up a code (once, even under concurrent attempts) and sign in a new device."""
    claimed = db.session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.code_hash == hash_code(code), *_usable(now))
        .values(used_at=now)
        .returning(EnrollmentCode.client_id)
    ).scalar_one_or_none()
    if claimed is None:
        raise InvalidCode
    _device, token = issue_device(claimed, label, now)
    return db.session.get(Client, claimed), token
