"""For the clinic's admins: its clinicians (invite, role, deactivate, reset a password) and the
audit trail."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from ..clinic import mailer, password_resets, staff
from ..clinic.staff import ROLES
from ..clock import now
from ..domain.errors import Conflict, InvalidField
from ..domain.password_reset import lifetime
from ..errors import sentences
from ..extensions import db
from ..schemas.fields import PlainText, no_control_characters
from . import forms

bp = Blueprint("admin", __name__, url_prefix="/admin")
AUDIT_PER_PAGE = 50
CLINICIAN = "/clinicians/<int:clinician_id>"


class InviteSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the form's csrf_token

    name = PlainText(required=True)
    email = fields.Email(required=True, validate=[validate.Length(max=320), no_control_characters])
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


invite_schema = InviteSchema()


@bp.before_request
def admins_only():
    staff.require_admin()


@bp.get("/clinicians")
def clinicians():
    """The clinic's clinicians, and a form to invite one."""
    return render_template("clinicians.html", staff=staff.colleagues(), roles=ROLES)


@bp.post("/clinicians")
def invite():
    """Add a clinician; their temporary password is shown once, here."""
    try:
        body = invite_schema.load(request.form.to_dict())
        clinician, password = staff.invite(body["name"], body["email"], body["role"], now())
    except (ValidationError, Conflict, InvalidField) as error:
        db.session.rollback()
        messages = forms.problems(error) if isinstance(error, ValidationError) else sentences(error)
        for message in messages:
            flash(message, "error")
        return render_template(
            "clinicians.html", staff=staff.colleagues(), roles=ROLES, form=request.form
        ), 422
    db.session.commit()
    return render_template(
        "clinicians.html",
        staff=staff.colleagues(),
        roles=ROLES,
        invited=clinician,
        password=password,
    ), 201


@bp.post(f"{CLINICIAN}/role")
def set_role(clinician_id: int):
    role = request.form.get("role", "")
    _change(lambda: staff.set_role(clinician_id, role, now()), "Role changed.")
    return redirect(url_for(".clinicians"))


@bp.post(f"{CLINICIAN}/deactivate")
def deactivate(clinician_id: int):
    message = "Deactivated: every session of theirs has ended."
    _change(lambda: staff.set_active(clinician_id, False, now()), message)
    return redirect(url_for(".clinicians"))


@bp.post(f"{CLINICIAN}/reactivate")
def reactivate(clinician_id: int):
    _change(lambda: staff.set_active(clinician_id, True, now()), "They can sign in again.")
    return redirect(url_for(".clinicians"))


@bp.post(f"{CLINICIAN}/password-reset")
def reset_password(clinician_id: int):
    """A one-time link for a colleague to choose a new password: shown once, here."""
    try:
        clinician, link = staff.reset_password(clinician_id, now())
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".clinicians"))
    db.session.commit()
    return _reset_page(clinician, link["token"]), 201


@bp.post(f"{CLINICIAN}/password-reset/email")
def email_reset_link(clinician_id: int):
    """Email the link just shown (its token comes back from the page) to the colleague."""
    if not mailer.configured():
        flash("Email is not set up on this server (MAIL_URL): copy the link instead.", "error")
        return redirect(url_for(".clinicians"))
    token = request.form.get("token", "")[:100]
    try:
        clinician = staff.email_reset_link(clinician_id, token, now())
    except Conflict as error:
        db.session.rollback()
        if error.code != "mail_not_sent":
            flash(error.message, "error")
            return redirect(url_for(".clinicians"))
        clinician = staff.colleague(clinician_id)
        return _reset_page(clinician, token, mail_error=error.message), 502
    db.session.commit()
    return _reset_page(clinician, token, emailed=clinician.email)


@bp.get("/audit")
def audit_log():
    """Who saw or changed what, newest first."""
    _, number = forms.list_query(request.args)
    return render_template("audit.html", page=staff.audit_page(number, AUDIT_PER_PAGE))


def _reset_page(clinician, token: str, **mailed) -> str:
    """The clinicians, with a colleague's reset link shown once (and how emailing it went)."""
    return render_template(
        "clinicians.html",
        staff=staff.colleagues(),
        roles=ROLES,
        reset=clinician,
        reset_url=password_resets.reset_url(token),
        reset_token=token,
        works_for=lifetime(password_resets.admin_lifetime()),
        mail=mailer.configured(),
        **mailed,
    )


def _change(change, done: str) -> None:
    try:
        change()
    except (Conflict, InvalidField) as error:
        db.session.rollback()
        for message in sentences(error):
            flash(message, "error")
        return
    db.session.commit()
    flash(done, "info")
