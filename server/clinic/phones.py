"""A client's phones, as the clinic manages them: links that enroll one, and revoking one.

At most one link works at a time (a new one cancels the older unused ones); the client's page
lists it, and one action cancels it. Every change is audited; the calling view commits.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from ..domain.contact import emails
from ..domain.errors import Conflict, NotFound
from ..domain.wording import N_
from ..extensions import db
from ..models import Client, Device, EnrollmentCode
from ..models.columns import valid_id
from ..phone.devices import disconnect
from ..phone.enrollment import cancel_unused, enroll_url, issue_link, outstanding, usable
from . import audit, invitation, mailer
from .scope import client_or_404, current_clinician


def link(client: Client, now: datetime) -> dict:
    """A new enrollment link for the client (the code is shown only now), issued by the
    signed-in clinician; the client's older unused links stop working."""
    return issue_link(client, current_app.config["PUBLIC_URL"], now, by=current_clinician())


def new_enrollment(client_id: int, now: datetime) -> dict:
    """Another one-time enrollment link, for a new or replaced phone."""
    client = client_or_404(client_id)
    enrollment = link(client, now)
    detail = {"expires_at": enrollment["expires_at"].isoformat()}
    audit.record("enrollment_code.issue", client.id, detail, now=now)
    return enrollment


def unused_link(client_id: int, code: str, now: datetime) -> dict:
    """The client's link with this code (as shown once), if it still works."""
    client = client_or_404(client_id)
    found = usable(client.id, code, now) if len(code) <= 100 else None
    if found is None:
        raise Conflict("link_unusable", N_("That link no longer works: issue a new one."))
    url = enroll_url(current_app.config["PUBLIC_URL"], code)
    return {"code": code, "url": url, "expires_at": found.expires_at}


def email_link(client_id: int, enrollment: dict, now: datetime) -> str:
    """Email the client their link (from unused_link) at their contact's first email address;
    return the address."""
    client = client_or_404(client_id)
    address = next(iter(emails(client.contact)), None)
    if address is None:
        raise Conflict("no_email", N_("The client's contact has no email address."))
    clinic = current_clinician().clinic.name
    with invitation.in_language(invitation.reads_in(client)):
        when = invitation.until(enrollment["expires_at"], client.timezone)
        body = invitation.letter(client.name, clinic, enrollment["url"], when)
        subject = invitation.subject(clinic)
    mailer.send(address, subject, body)
    detail = {"expires_at": enrollment["expires_at"].isoformat()}
    audit.record("enrollment_code.email", client.id, detail, now=now)
    return address


def links(client_id: int, now: datetime) -> list[EnrollmentCode]:
    """The client's links that would still work (issued when, by whom, until when)."""
    return outstanding(client_or_404(client_id).id, now)


def cancel_links(client_id: int, now: datetime) -> int:
    """Stop every link of the client that would still work; return how many."""
    client = client_or_404(client_id)
    cancelled = cancel_unused(client.id, now)
    if cancelled:
        audit.record("enrollment_code.cancel", client.id, {"links": cancelled}, now=now)
    return cancelled


def revoke_device(client_id: int, device_id: int, now: datetime, cancel: bool = False) -> Device:
    """Disconnect a client's phone for good (a lost one), its reminders with it, and with
    `cancel` the client's unused links too; revoking again changes nothing."""
    client = client_or_404(client_id)
    device = None
    if valid_id(device_id):
        device = db.session.scalar(
            select(Device).where(Device.client_id == client.id, Device.id == device_id)
        )
    if device is None:
        raise NotFound(N_("No such device."))
    if disconnect(device, now):
        audit.record("device.revoke", client.id, {"device_id": device.id}, now=now)
    if cancel:
        cancel_links(client_id, now)
    return device
