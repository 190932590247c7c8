"""The client list, a client's page, new clients, sessions, enrollment, devices, CSV, deletion."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from marshmallow import ValidationError

from .. import rate_limits
from ..clinic import client_list, client_record, clients, deletion, exports, mailer, phones
from ..clinic.scope import client_or_404, current_clinician
from ..clinic.staff import require_admin
from ..clock import now
from ..domain.errors import Conflict, InvalidField, ProtocolUnavailable
from ..errors import sentences
from ..extensions import db
from ..plans.registry import registry
from . import changes, forms, heatmap, qr
from .downloads import csv_response
from .invitation import invitation

bp = Blueprint("clients", __name__)
CLIENT = "/clients/<int:client_id>"
SESSION = f"{CLIENT}/sessions/<int:session_id>"


@bp.get("/")
def list_page():
    """The clinic's clients, the ones who need a call first."""
    filters, number = forms.list_query(request.args)
    page = client_list.view_page(filters, number, forms.PER_PAGE, now())
    db.session.commit()
    return render_template(
        "clients.html",
        page=page,
        filters=filters,
        flags=forms.FLAGS,
        deletion_requests=deletion.open_requests(),
    )


@bp.get("/clients.csv")
@rate_limits.limit_clinician_export
def clinic_export():
    """The (filtered) list as CSV, one line per client."""
    filters, _ = forms.list_query(request.args)
    name, chunks = exports.clinic_csv(filters, now())
    db.session.commit()
    return csv_response(name, chunks)


@bp.route("/clients/new", methods=["GET", "POST"])
def new_client():
    """Add a client with sessions; their enrollment link and QR code are shown at once."""
    protocols = registry().choices()
    if request.method == "POST":
        created = _attempt(lambda: clients.create(forms.new_client(request.form, protocols), now()))
        if created is not None:
            return _enrollment_page(created["id"], created["enrollment"], new=True), 201
    return render_template(
        "new_client.html", protocols=protocols, form=request.form, rows=forms.NEW_CLIENT_SESSIONS
    )


@bp.get(CLIENT)
def client(client_id: int):
    """Everything about one client: sessions, plan, adherence calendar, log, devices."""
    moment = now()
    page = client_record.page(client_id, moment)
    db.session.commit()
    sessions = {s["end"].date() for s in page["sessions"]}  # day 1 is the day a session ends
    return render_template(
        "client.html",
        c=page,
        now=moment,
        heatmap=heatmap.render(page["days"], page["today"], sessions),
        legend=heatmap.legend(),
        calendar_days=heatmap.calendar_days(page["days"], page["today"], sessions),
        summary=heatmap.summary(page["days"]),
        questions=page["bundle"].get("questions", []),
        values=forms.profile_values(page),
        errors={},
    )


@bp.post(f"{CLIENT}/profile")
def edit_profile(client_id: int):
    """Change name, contact, zone, answers or day; say what changed, or every problem at once."""
    questions = client_record.questions(client_id)
    try:
        fields = forms.client_profile(request.form, questions)
        updated = clients.update(client_id, fields, now())
    except (ValidationError, InvalidField) as error:
        db.session.rollback()
        return _profile_refused(client_id, questions, forms.field_errors(error)), 422
    db.session.commit()
    flash(changes.said(updated["changes"], questions), "info")
    return _back(client_id, "profile")


@bp.post(f"{CLIENT}/sessions")
def add_session(client_id: int):
    zone = client_or_404(client_id).timezone
    _attempt(lambda: clients.add_session(client_id, forms.session_times(request.form, zone), now()))
    return _back(client_id)


@bp.post(SESSION)
def reschedule(client_id: int, session_id: int):
    zone = client_or_404(client_id).timezone
    _attempt(
        lambda: clients.reschedule(
            client_id, session_id, forms.session_times(request.form, zone), now()
        )
    )
    return _back(client_id)


@bp.post(f"{SESSION}/final")
def make_final(client_id: int, session_id: int):
    """Make this the final session: later ones are cancelled, the plan is rebuilt."""
    _attempt(lambda: clients.make_final(client_id, session_id, now()))
    return _back(client_id)


@bp.post(f"{SESSION}/cancel")
def cancel_session(client_id: int, session_id: int):
    _attempt(lambda: clients.remove_session(client_id, session_id, now()))
    return _back(client_id)


@bp.post(f"{CLIENT}/enrollment")
def new_enrollment(client_id: int):
    """A new one-time link for the client's phone, shown once with its QR code."""
    enrollment = phones.new_enrollment(client_id, now())
    db.session.commit()
    return _enrollment_page(client_id, enrollment, new=False)


@bp.post(f"{CLIENT}/enrollment/email")
def email_enrollment(client_id: int):
    """Email the link just shown (its code comes back from the page) to the client."""
    if not mailer.configured():
        flash("Email is not set up on this server (MAIL_URL): use Send by email.", "error")
        return _back(client_id, "devices")
    try:
        enrollment = phones.unused_link(client_id, request.form.get("code", ""), now())
    except Conflict as error:
        flash(error.message, "error")
        return _back(client_id, "devices")
    try:
        sent = phones.email_link(client_id, enrollment, now())
    except Conflict as error:
        db.session.rollback()
        return _enrollment_page(client_id, enrollment, new=False, mail_error=error.message), 502
    db.session.commit()
    return _enrollment_page(client_id, enrollment, new=False, emailed=sent)


@bp.post(f"{CLIENT}/enrollment/cancel")
def cancel_enrollment(client_id: int):
    """Stop the client's unused enrollment links from working."""
    cancelled = phones.cancel_links(client_id, now())
    db.session.commit()
    flash("The unused link no longer works." if cancelled else "No link was waiting.", "info")
    return _back(client_id, "devices")


@bp.post(f"{CLIENT}/devices/<int:device_id>/revoke")
def revoke_device(client_id: int, device_id: int):
    """Disconnect a phone for good; with the box ticked, the unused links stop working too."""
    cancel = request.form.get("cancel_links") == "yes"
    phones.revoke_device(client_id, device_id, now(), cancel=cancel)
    db.session.commit()
    links = " and the unused link is cancelled" if cancel else ""
    flash(f"The device is disconnected for good. Its reminders have stopped{links}.", "info")
    return _back(client_id, "devices")


@bp.get(f"{CLIENT}/tasks.csv")
@rate_limits.limit_clinician_export
def client_export(client_id: int):
    """Every task occurrence of the client as CSV."""
    name, chunks = exports.client_csv(client_id, now())
    db.session.commit()
    return csv_response(name, chunks)


@bp.route(f"{CLIENT}/delete", methods=["GET", "POST"])
def delete_client(client_id: int):
    """Delete the client and all their data, once an admin has typed the client's name."""
    require_admin()
    client = client_or_404(client_id)
    status = 200
    if request.method == "POST":
        if forms.names_match(request.form.get("confirm_name", ""), client.name):
            deletion.delete_client(client_id, now())
            db.session.commit()
            flash(f"Client #{client_id} and all their data are deleted.", "info")
            return redirect(url_for(".list_page"))
        flash("The name does not match: nothing was deleted.", "error")
        status = 422
    status_of_request = deletion.deletion_status(client)
    return render_template("delete_client.html", client=client, deletion=status_of_request), status


def _attempt(change: Callable[[], dict]) -> dict | None:
    """Run a change and commit; if the form or the change is refused, say why and roll back."""
    try:
        result = change()
    except ValidationError as error:
        db.session.rollback()
        for problem in forms.problems(error):
            flash(problem, "error")
        return None
    except (Conflict, InvalidField, ProtocolUnavailable) as error:
        db.session.rollback()
        for problem in sentences(error):
            flash(problem, "error")
        return None
    db.session.commit()
    flash("Saved. The plan is rebuilt; logged ticks are kept.", "info")
    return result


def _profile_refused(client_id: int, questions: list[dict], errors: dict) -> str:
    """The profile form again as typed, every problem beside its field and listed above it."""
    return render_template(
        "edit_client.html",
        client=client_or_404(client_id),
        questions=questions,
        values=request.form,
        errors=errors,
        labels=forms.profile_labels(questions),
    )


def _enrollment_page(client_id: int, enrollment: dict, new: bool, **mailed) -> str:
    """The link shown once: its QR code, and ready to copy or send by text or email (and by
    the server's mail, when MAIL_URL is set: `mailed` says how that went)."""
    client = client_or_404(client_id)
    clinic = current_clinician().clinic.name
    send = invitation(client.name, client.contact, enrollment, clinic, client.timezone)
    return render_template(
        "enrollment.html",
        client=client,
        enrollment=enrollment,
        qr=qr.data_uri(enrollment["url"]),
        send=send,
        new=new,
        mail=mailer.configured(),
        **mailed,
    )


def _back(client_id: int, section: str = "sessions"):
    return redirect(url_for("dashboard.clients.client", client_id=client_id) + f"#{section}")
