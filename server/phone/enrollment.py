"""Enrollment codes: one-time links that bring a client's device into their aftercare plan."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update

from ..extensions import db
from ..models import Client, EnrollmentCode
from .devices import issue_device

CODE_LIFETIME = timedelta(days=7)


def hash_code(code: str) -> str:
    """Return the sha256 hex digest under which `code` is stored."""
    # No salt or slow hash needed: the code is random with 192 bits, not a chosen password.
    return hashlib.sha256(code.encode()).hexdigest()


def issue_code(client: Client, now: datetime) -> str:
    """Store a new code for `client`, valid for CODE_LIFETIME, and return it in plain text."""
    code = secrets.token_urlsafe(24)
    db.session.add(
        EnrollmentCode(
            client=client,
            code_hash=hash_code(code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    )
    return code


def issue_link(client: Client, public_url: str, now: datetime) -> dict:
    """A new one-time link for the client's phone: its code (shown once), URL and expiry."""
    code = issue_code(client, now)
    return {"code": code, "url": enroll_url(public_url, code), "expires_at": now + CODE_LIFETIME}


def enroll_url(public_url: str, code: str) -> str:
    """Return the link a client opens to enroll with `code`."""
    # The code rides in the fragment, which browsers never send, so it stays out of server
    # and proxy logs; the page reads it and posts it to the API.
    return f"{public_url}/enroll#{code}"


class InvalidCode(Exception):
    """Unknown, used or expired: deliberately one error, so a guess learns nothing."""


def redeem(code: str, now: datetime, label: str | None) -> tuple[Client, str]:
    """Use up a code (once, even under concurrent attempts) and sign in a new device."""
    claimed = db.session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.code_hash == hash_code(code))
        .where(EnrollmentCode.used_at.is_(None))
        .where(EnrollmentCode.expires_at > now)
        .values(used_at=now)
        .returning(EnrollmentCode.client_id)
    ).scalar_one_or_none()
    if claimed is None:
        raise InvalidCode
    _device, token = issue_device(claimed, label, now)
    return db.session.get(Client, claimed), token
