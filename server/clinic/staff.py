"""A clinic's staff, managed by its admins: invite, change role, deactivate, reset a password;
and bootstrap.

Admin-only functions check the role themselves, so no view can forget to; every change is
audited. The calling view or command commits.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select

from ..domain.errors import Conflict, Forbidden, InvalidField, NotFound, Said
from ..domain.wording import N_
from ..extensions import db
from ..models import Clinic, Clinician
from ..models.columns import valid_id
from . import audit, auth, password_resets
from .scope import current_clinician

ROLES = ("clinician", "admin")
MIN_PASSWORD_LENGTH = 12


def new_password_problem(new: str, confirm: str) -> Said | None:
    """What is wrong with a new password typed twice, for every form that sets one."""
    if len(new) < MIN_PASSWORD_LENGTH or len(new) > 1000:
        message = N_("Choose a new password of at least %(count)d characters.")
        return Said(message, {"count": MIN_PASSWORD_LENGTH})
    if new != confirm:
        return Said(N_("The two new passwords differ."))
    return None


def require_admin() -> Clinician:
    """The signed-in clinician if they are an admin; Forbidden otherwise."""
    clinician = current_clinician()
    if clinician.role != "admin":
        raise Forbidden(N_("Only the clinic's admins can do that."))
    return clinician


def colleagues() -> list[Clinician]:
    """The admin's clinic's clinicians, active first, by name."""
    admin = require_admin()
    return list(
        db.session.scalars(
            select(Clinician)
            .where(Clinician.clinic_id == admin.clinic_id)
            .order_by(Clinician.active.desc(), func.lower(Clinician.name), Clinician.id)
        )
    )


def invite(name: str, email: str, role: str, now: datetime) -> tuple[Clinician, str]:
    """Add a clinician to the admin's clinic with a temporary password, returned once."""
    admin = require_admin()
    clinician, password = create(admin.clinic_id, email, name, role, now)
    audit.record("clinician.invite", detail={"clinician_id": clinician.id, "role": role}, now=now)
    return clinician, password


def create(
    clinic_id: int, email: str, name: str, role: str, now: datetime, password: str | None = None
) -> tuple[Clinician, str]:
    """A new clinician of a clinic (also for the CLI); a generated password unless one is given,
    which is temporary: they must choose their own when they first sign in."""
    if role not in ROLES:
        raise InvalidField("role", N_("No such role."))
    if db.session.get(Clinic, clinic_id) is None:
        raise NotFound(N_("No such clinic."))
    email = email.strip().lower()
    # Only this clinic's accounts are looked at: the answer says nothing of other clinics.
    taken = select(Clinician.id).where(Clinician.clinic_id == clinic_id, Clinician.email == email)
    if db.session.scalar(taken) is not None:
        message = "Someone at this clinic already signs in with this email."
        raise Conflict("conflict", message, field="email")
    if password is not None and auth.password_in_use(email, password):
        raise InvalidField("password", auth.USED_AT_ANOTHER_CLINIC)
    temporary, password = password is None, password or secrets.token_urlsafe(12)
    clinician = Clinician(
        clinic_id=clinic_id,
        email=email,
        name=name,
        role=role,
        created_at=now,
        must_change_password=temporary,
    )
    clinician.set_password(password)
    db.session.add(clinician)
    db.session.flush()
    return clinician, password


def set_role(clinician_id: int, role: str, now: datetime) -> Clinician:
    """Make a colleague an admin or a clinician (not oneself: a clinic keeps an admin)."""
    clinician = colleague(clinician_id)
    if role not in ROLES:
        raise InvalidField("role", N_("No such role."))
    if clinician.role != role:
        audit.record(
            "clinician.role",
            detail={"clinician_id": clinician.id, "role": role, "was": clinician.role},
            now=now,
        )
        clinician.role = role
        auth.end_sessions(clinician)  # a demoted admin's open pages stop working at once
    return clinician


def set_active(clinician_id: int, active: bool, now: datetime) -> Clinician:
    """Deactivate a colleague (every session of theirs ends) or let them back in."""
    clinician = colleague(clinician_id)
    if clinician.active != active:
        clinician.active = active
        auth.end_sessions(clinician)
        auth.cancel_reset_links(clinician.id, now)  # not revived by reactivation
        action = "clinician.reactivate" if active else "clinician.deactivate"
        audit.record(action, detail={"clinician_id": clinician.id}, now=now)
    return clinician


def reset_password(clinician_id: int, now: datetime) -> tuple[Clinician, dict]:
    """A one-time link for a colleague to choose a new password, shown once to the admin.

    Their password and sessions are left alone until the link is used: an admin's reset
    helps someone who forgot, and deactivation is the way to lock someone out at once.
    """
    clinician = colleague(clinician_id)
    if not clinician.active:
        raise Conflict("conflict", f"{clinician.name} is deactivated: reactivate them first.")
    admin = current_clinician()
    link = password_resets.issue(clinician, now, password_resets.admin_lifetime(), by=admin)
    audit.record("clinician.password_reset_link", detail={"clinician_id": clinician.id}, now=now)
    return clinician, link


def email_reset_link(clinician_id: int, token: str, now: datetime) -> Clinician:
    """Email a colleague the reset link just shown (its token comes back from the page): only
    while it is still their working link. Conflict when it is not, or the mail server fails."""
    clinician = colleague(clinician_id)
    try:
        holder = password_resets.holder(token, now)
    except password_resets.InvalidResetLink:
        holder = None
    if holder is None or holder.id != clinician.id:
        raise Conflict("conflict", N_("That link no longer works: make a new one."))
    password_resets.email_admin_link(clinician, token, current_clinician())
    audit.record("clinician.password_reset_email", detail={"clinician_id": clinician.id}, now=now)
    return clinician


def colleague(clinician_id: int) -> Clinician:
    """Another clinician of the admin's own clinic; yourself is refused, anyone else is a 404."""
    admin = require_admin()
    clinician = None
    if valid_id(clinician_id):
        clinician = db.session.scalar(
            select(Clinician).where(
                Clinician.id == clinician_id, Clinician.clinic_id == admin.clinic_id
            )
        )
    if clinician is None:
        raise NotFound(N_("No such clinician."))
    if clinician.id == admin.id:
        raise Conflict("conflict", N_("Ask another admin to change your own account."))
    return clinician
