"""For the clinic's admins: its clinicians (invite, role, deactivate, reset a password) and the
audit trail."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from .. import rate_limits
from ..clinic import audit_log, exports, mailer, password_resets, settings, staff, versions
from ..clinic.staff import ROLES
from ..clock import now
from ..domain.errors import Conflict, InvalidField, NotFound, ProtocolUnavailable
from ..domain.password_reset import lifetime
from ..domain.wording import N_
from ..errors import sentences
from ..extensions import db
from ..languages import LANGUAGES
from ..models.columns import valid_id
from ..schemas.fields import PlainText, TimeZone, no_control_characters
from . import forms
from .audit_filters import audit_query
from .downloads import csv_response
from .refusals import said

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


class SettingsSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the form's csrf_token

    timezone = TimeZone(required=True)
    language = fields.String(validate=validate.OneOf(LANGUAGES))  # a form without it keeps it
    # Offered on the client's phone as a tel: link when a check-in raises a red flag.
    phone = fields.String(
        allow_none=True,
        validate=validate.Regexp(
            r"^\+?[0-9][0-9 ()-]{5,38}$",
            error=_l("Give a phone number: digits, spaces, brackets or dashes, + first if any."),
        ),
    )


settings_schema = SettingsSchema()


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
        flash(said(error.message), "error")
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
            flash(said(error.message), "error")
            return redirect(url_for(".clinicians"))
        clinician = staff.colleague(clinician_id)
        return _reset_page(clinician, token, mail_error=error.message), 502
    db.session.commit()
    return _reset_page(clinician, token, emailed=clinician.email)


@bp.route("/settings", methods=["GET", "POST"])
def clinic_settings():
    """The clinic's time zone (the audit log and every CSV give times in it), language and the
    phone number clients are told to call on a red flag."""
    if request.method == "GET":
        return render_template("settings.html", values={}, errors={}, languages=LANGUAGES)
    typed = {"timezone": request.form.get("timezone", "").strip()}
    if "language" in request.form:
        typed["language"] = request.form["language"].strip()
    if "phone" in request.form:
        typed["phone"] = request.form["phone"].strip() or None
    try:
        changed = settings.change(now(), **settings_schema.load(typed))
    except ValidationError as error:
        db.session.rollback()
        page = render_template(
            "settings.html", values=typed, errors=error.messages, languages=LANGUAGES
        )
        return page, 422
    db.session.commit()
    flash(_("Saved.") if changed else _("Nothing changed."), "info")
    return redirect(url_for(".clinic_settings"))


@bp.get("/protocols")
def protocols():
    """Each protocol's newest version and how many clients follow each version."""
    return _protocols_page()


@bp.post("/protocols/<protocol_id>/move")
def move_clients(protocol_id: str):
    """Move the chosen clients, or all on one version, to the protocol's newest version."""
    chosen = request.form.getlist("client")
    if not all(item.isascii() and item.isdigit() and valid_id(int(item)) for item in chosen):
        raise NotFound(N_("No such client."))
    every_on = request.form.get("from") or None
    if every_on is None and not chosen:
        flash("Choose the clients to move first.", "error")
        return redirect(url_for(".protocols"))
    try:
        moved = versions.move(
            protocol_id,
            request.form.get("to", ""),
            now(),
            client_ids={int(item) for item in chosen},
            from_version=every_on,
        )
    except (Conflict, ProtocolUnavailable) as error:
        db.session.rollback()
        flash(said(error.message), "error")
        return _protocols_page(), 409
    db.session.commit()
    flash(f"Moved {moved} client{'s' if moved != 1 else ''} to the newest version.", "info")
    return redirect(url_for(".protocols"))


@bp.get("/audit", endpoint="audit_log")  # the name base.html and the tests know
def audit_log_page():
    """Who saw or changed what, newest first: filtered by person, client, action and dates."""
    people = audit_log.people()
    filters, number, errors = audit_query(request.args, people)
    zone = settings.current().timezone
    page = audit_log.page(filters, ZoneInfo(zone), number, AUDIT_PER_PAGE)
    return render_template(
        "audit.html",
        page=page,
        filters=filters,
        people=people,
        actions=sorted(audit_log.ACTIONS.items(), key=lambda item: str(item[1])),
        errors=errors,
        zone=zone,
    ), 422 if errors else 200


@bp.get("/audit.csv")
@rate_limits.limit_clinician_export
def audit_export():
    """The audit log as filtered, as CSV; a filter with a problem refuses the whole file."""
    filters, _, errors = audit_query(request.args, audit_log.people())
    if errors:
        abort(422, description=" ".join(errors.values()))
    name, chunks = exports.audit_csv(filters, now())
    db.session.commit()
    return csv_response(name, chunks)


def _protocols_page() -> str:
    return render_template(
        "protocols.html",
        overview=versions.overview(),
        behind=versions.behind(),
        problems=versions.problems(),
    )


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
