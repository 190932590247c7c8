"""For the clinic's admins: its clinicians (invite, role, deactivate) and the audit trail."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from .. import clinicians
from ..clinicians import ROLES
from ..clock import now
from ..errors import ApiError
from ..extensions import db
from ..schemas import PlainText, no_control_characters
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
    clinicians.require_admin()


@bp.get("/clinicians")
def staff():
    """The clinic's clinicians, and a form to invite one."""
    return render_template("clinicians.html", staff=clinicians.staff(), roles=ROLES)


@bp.post("/clinicians")
def invite():
    """Add a clinician; their temporary password is shown once, here."""
    try:
        body = invite_schema.load(request.form.to_dict())
        clinician, password = clinicians.invite(body["name"], body["email"], body["role"], now())
    except (ValidationError, ApiError) as error:
        db.session.rollback()
        if isinstance(error, ApiError) and error.code == 404:
            raise
        messages = (
            forms.problems(error) if isinstance(error, ValidationError) else [error.description]
        )
        for message in messages:
            flash(message, "error")
        return render_template(
            "clinicians.html", staff=clinicians.staff(), roles=ROLES, form=request.form
        ), 422
    db.session.commit()
    return render_template(
        "clinicians.html",
        staff=clinicians.staff(),
        roles=ROLES,
        invited=clinician,
        password=password,
    ), 201


@bp.post(f"{CLINICIAN}/role")
def set_role(clinician_id: int):
    role = request.form.get("role", "")
    _change(lambda: clinicians.set_role(clinician_id, role, now()), "Role changed.")
    return redirect(url_for(".staff"))


@bp.post(f"{CLINICIAN}/deactivate")
def deactivate(clinician_id: int):
    message = "Deactivated: every session of theirs has ended."
    _change(lambda: clinicians.set_active(clinician_id, False, now()), message)
    return redirect(url_for(".staff"))


@bp.post(f"{CLINICIAN}/reactivate")
def reactivate(clinician_id: int):
    _change(lambda: clinicians.set_active(clinician_id, True, now()), "They can sign in again.")
    return redirect(url_for(".staff"))


@bp.get("/audit")
def audit_log():
    """Who saw or changed what, newest first."""
    _, page = forms.list_query(request.args)
    rows, total = clinicians.audit_page(page, AUDIT_PER_PAGE)
    pages = max(1, -(-total // AUDIT_PER_PAGE))
    return render_template("audit.html", rows=rows, page=page, pages=pages, total=total)


def _change(change, done: str) -> None:
    try:
        change()
    except ApiError as error:
        if error.code == 404:
            raise
        db.session.rollback()
        flash(error.description, "error")
        return
    db.session.commit()
    flash(done, "info")
