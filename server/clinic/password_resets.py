"""One-time links to a new password: issued by an admin, or emailed to whoever types an email.

A link is a random token of 192 bits; only its SHA-256 is stored, as for enrollment codes. It
works once, until it expires, and stops when a newer link is issued, when the password is
changed another way, or when the account is deactivated. Using it sets the new password,
ends every other session of that clinician and signs this browser in.
"""

from __future__ import annotations

import hashlib
import secrets
from contextlib import suppress
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from ..domain import password_reset as words
from ..domain.errors import Conflict
from ..extensions import db
from ..models import Clinician, PasswordReset
from . import audit, auth, mailer


class InvalidResetLink(Exception):
    """Unknown, used, cancelled or expired: one error, so a guess learns nothing."""


def admin_lifetime() -> timedelta:
    return timedelta(hours=current_app.config["RESET_LINK_HOURS"])


def forgot_lifetime() -> timedelta:
    return timedelta(minutes=current_app.config["FORGOT_LINK_MINUTES"])


def hash_token(token: str) -> str:
    # No salt or slow hash needed: the token is random with 192 bits, not a chosen password.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def reset_url(token: str) -> str:
    # In the query, which gunicorn's log leaves out, and Referrer-Policy keeps on this site.
    return f"{current_app.config['PUBLIC_URL']}/clinic/reset?token={token}"


def issue(
    clinician: Clinician, now: datetime, lifetime: timedelta, by: Clinician | None = None
) -> dict:
    """A new link for `clinician` (its token shown once, its URL, its expiry); their older
    unused links stop working."""
    auth.cancel_reset_links(clinician.id, now)
    token = secrets.token_urlsafe(24)
    db.session.add(
        PasswordReset(
            clinician_id=clinician.id,
            token_hash=hash_token(token),
            issued_by_id=by.id if by else None,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return {"token": token, "url": reset_url(token), "expires_at": now + lifetime}


def holder(token: str, now: datetime) -> Clinician:
    """Whose password a link would reset, if it still works; InvalidResetLink otherwise."""
    clinician = db.session.scalar(
        select(Clinician)
        .join(PasswordReset, PasswordReset.clinician_id == Clinician.id)
        .where(
            PasswordReset.token_hash == hash_token(token),
            Clinician.active.is_(True),
            *auth.unused_reset(now),
        )
    )
    if clinician is None:
        raise InvalidResetLink
    return clinician


def use(token: str, new: str, now: datetime) -> Clinician:
    """Use up a link (once, even when two tries race) to set `new` and sign in with it.

    InvalidField when `new` opens the same person's account at another clinic: the link is
    then left unused, and the caller rolls back.
    """
    clinician = holder(token, now)
    claimed = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.token_hash == hash_token(token), *auth.unused_reset(now))
        .values(used_at=now)
        .returning(PasswordReset.issued_by_id)
    ).one_or_none()
    if claimed is None:
        raise InvalidResetLink
    auth.set_new_password(clinician, new, now)
    via = "admin" if claimed.issued_by_id is not None else "email"
    audit.record("clinician.password_reset", detail={"via": via}, now=now, by=clinician)
    return clinician


def email_admin_link(clinician: Clinician, token: str, admin: Clinician) -> None:
    """Email the link an admin just issued to its clinician; Conflict("mail_not_sent") when
    the mail server would not take it."""
    works_for = words.lifetime(admin_lifetime())
    url = reset_url(token)
    body = words.letter(clinician.name, clinician.clinic.name, url, works_for, admin.name)
    mailer.send(clinician.email, words.subject(clinician.clinic.name), body)


def email_forgotten(email: str, now: datetime) -> None:
    """Email a link to each active account with this email, one per clinic; nothing at all
    for an email with none. What happened is never told to the asker (only logged)."""
    for clinician in auth.accounts(email):
        if not clinician.active:
            continue
        link = issue(clinician, now, forgot_lifetime())
        audit.record("clinician.password_reset_asked", now=now, by=clinician)
        clinic = clinician.clinic.name
        body = words.letter(
            clinician.name, clinic, link["url"], words.lifetime(forgot_lifetime()), None
        )
        # A failure is logged by mailer; the asker hears the same answer either way.
        with suppress(Conflict):
            mailer.send(clinician.email, words.subject(clinic), body)
