"""The client list, a client's page, new clients, sessions, enrollment, devices, CSV, deletion."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from marshmallow import ValidationError

from .. import rate_limits
from ..clinic import (
    calls,
    checkin_history,
    client_list,
    client_record,
    clients,
    deletion,
    exports,
    handout,
    mailer,
    phones,
    previews,
)
from ..clinic.invitation import reads_in
from ..clinic.scope import client_or_404, current_clinician
from ..clinic.staff import require_admin
from ..clock import now
from ..domain.errors import Conflict, InvalidField, ProtocolUnavailable
from ..domain.flags import REASONS
from ..extensions import db
from ..photos.timeline import healing_timeline, photo_image
from ..plans.registry import registry
from ..plans.store import numbered
from . import changes, checkin_chart, forms, heatmap, labels, qr
from .downloads import csv_response
from .handout_sheet import render_sheet
from .invitation import invitation
from .refusals import said

bp = Blueprint("clients", __name__)
CLIENT = "/clients/<int:client_id>"
SESSION = f"{CLIENT}/sessions/<int:session_id>"


@bp.get("/")
def list_page():
    """The clinic's clients, the ones who need a call first."""
    filters, number = forms.list_query(request.args)
    moment = now()
    page = client_list.view_page(filters, number, forms.PER_PAGE, moment)
    db.session.commit()
    return render_template(
        "clients.html",
        page=page,
        filters=filters,
        flags=labels.FLAGS,
        reason_labels={name: labels.FLAGS[name] for name in REASONS},
        counts=client_list.reason_counts(current_clinician().clinic_id),
        concerns=calls.open_concerns([line.client.id for line in page.items], moment),
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
    if request.method == "GET":
        defaults = forms.new_client_defaults(protocols, current_clinician().clinic.language)
        return _new_client_form(protocols, {}, defaults)
    moment = now()
    try:
        fields = forms.new_client(request.form, protocols, moment, clients.course_limits())
        created = clients.create(fields, moment)
    except (ValidationError, InvalidField) as error:
        db.session.rollback()
        return _new_client_form(protocols, forms.field_errors(error)), 422
    except (Conflict, ProtocolUnavailable) as error:
        db.session.rollback()
        return _new_client_form(protocols, {"protocol_id": [error.message]}), 422
    db.session.commit()
    flash(changes.client_added(created["name"], len(created["sessions"])), "info")
    return _enrollment_page(created["id"], created["enrollment"], new=True), 201


@bp.get(CLIENT)
def client(client_id: int):
    """Everything about one client: sessions, plan, adherence calendar, log, devices."""
    return _client_page(client_id)


@bp.get(f"{CLIENT}/photos/<uuid:photo_id>")
def photo(client_id: int, photo_id):
    """One of the client's photos, for this clinic's eyes only: audited, and never cached
    (every /clinic/ answer is no-store: security.py)."""
    data, content_type = photo_image(client_id, photo_id, now())
    db.session.commit()
    return Response(data, mimetype=content_type, headers={"Content-Disposition": "inline"})


@bp.post(f"{CLIENT}/profile")
def edit_profile(client_id: int):
    """Change name, contact, zone, answers or day; say what changed, or every problem at once."""
    questions, languages = client_record.profile_choices(client_id)
    try:
        fields = forms.client_profile(request.form, questions)
        updated = clients.update(client_id, fields, now())
    except (ValidationError, InvalidField) as error:
        db.session.rollback()
        errors = forms.field_errors(error)
        return _profile_refused(client_id, questions, languages, errors), 422
    db.session.commit()
    flash(changes.said(updated["changes"], questions), "info")
    return _back(client_id, "profile")


@bp.post(f"{CLIENT}/sessions")
def add_session(client_id: int):
    """Book a session, or record one that already happened (the form says which)."""

    def add(client, moment):
        times = forms.session_times(request.form, client.timezone, moment, clients.course_limits())
        added = clients.add_session(client_id, times, moment)
        return added, added["session_id"]

    return _session_change(client_id, "new-session-", add, changes.session_added)


@bp.post(SESSION)
def reschedule(client_id: int, session_id: int):
    """Move a session or change its length; a past session may keep its start."""

    def move(client, moment):
        was = clients.session(client_id, session_id).starts_at
        limits = clients.course_limits()
        times = forms.session_times(request.form, client.timezone, moment, limits, was=was)
        return clients.reschedule(client_id, session_id, times, moment), session_id

    prefix = f"session-{session_id}-"
    return _session_change(client_id, prefix, move, changes.session_moved)


@bp.route(f"{SESSION}/final", methods=["GET", "POST"])
def make_final(client_id: int, session_id: int):
    """Make this the final session, once the clinician has seen which later ones go."""
    if request.method == "GET" or request.form.get("confirm") != "yes":
        preview = previews.make_final(client_id, session_id, now())
        return _confirm_page(client_id, preview, "final")

    def finish(_client, moment):
        return clients.make_final(client_id, session_id, moment), session_id

    return _session_change(client_id, f"session-{session_id}-", finish, changes.made_final)


@bp.route(f"{SESSION}/cancel", methods=["GET", "POST"])
def cancel_session(client_id: int, session_id: int):
    """Cancel a session not yet started, once the clinician has seen what changes."""
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return _confirm_page(client_id, previews.cancel(client_id, session_id, now()), "cancel")

    def cancel(_client, moment):
        return clients.remove_session(client_id, session_id, moment), session_id

    prefix = f"session-{session_id}-"
    return _session_change(client_id, prefix, cancel, changes.session_cancelled)


@bp.get(f"{CLIENT}/handout", endpoint="handout")
def print_handout(client_id: int):
    """The client's aftercare on one page, to print and hand over."""
    sheet = handout.sheet(client_id, now())
    db.session.commit()
    return render_template("handout.html", h=sheet, sheet=render_sheet(sheet))


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
        flash(said(error.message), "error")
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


def _session_change(client_id: int, prefix: str, change: Callable, said: Callable):
    """Run a session change and commit, then say what it did; refused, the client's page
    again with every problem beside its field in the form that was sent (`prefix`: its ids)."""
    client = client_or_404(client_id)
    before = numbered(client)
    try:
        result, session_id = change(client, now())
    except (ValidationError, InvalidField, Conflict) as error:
        db.session.rollback()
        return _client_page(client_id, prefix, forms.session_errors(error, prefix)), 422
    except ProtocolUnavailable as error:
        db.session.rollback()
        flash(said(error.message), "error")
        return _back(client_id)
    db.session.commit()
    flash(said(before, result["sessions"], session_id), "info")
    return _back(client_id)


def _client_page(client_id: int, failed: str | None = None, errors: dict | None = None):
    """The client's page; after a refused session form, that form (ids starting `failed`) as
    it was sent, its problems listed at the top and beside each field, and nothing stored."""
    moment = now()
    page = client_record.page(client_id, moment)
    sessions = {s["end"].date() for s in page["sessions"]}  # day 1 is the day a session ends
    checkin_days = checkin_history.by_day(client_id, page["bundle"])
    scale = checkin_history.scale_question(page["bundle"])
    scale_label = scale["label"] if scale else ""
    shown = render_template(
        "client.html",
        c=page,
        now=moment,
        heatmap=heatmap.render(page["days"], page["today"], sessions),
        healing=healing_timeline(client_id, page["sessions"], page["timezone"]),
        legend=heatmap.legend(),
        calendar_days=heatmap.calendar_days(page["days"], page["today"], sessions),
        summary=heatmap.summary(page["days"]),
        checkin_days=checkin_days,
        checkin_photos=checkin_history.photos_by_day(client_id),
        checkin_chart=checkin_chart.render(checkin_days, scale_label),
        scale_label=scale_label,
        questions=page["bundle"].get("questions", []),
        languages=page["protocol"]["languages"],
        values=forms.profile_values(page),
        errors={},
        failed=failed,
        sent=request.form if failed else {},
        session_errors=errors or {},
        session_labels=forms.session_labels(page["sessions"]),
        concerns=calls.open_concerns([client_id], moment).get(client_id, []),
        timeline=calls.timeline(client_id),
        counted_since=calls.counted_since(client_id),
    )
    if failed:
        db.session.rollback()  # bad input changes nothing, not even the audit log
    else:
        db.session.commit()
    return shown


def _new_client_form(protocols: list[dict], errors: dict, form=None) -> str:
    return render_template(
        "new_client.html",
        protocols=protocols,
        form=request.form if form is None else form,
        rows=forms.NEW_CLIENT_SESSIONS,
        errors=errors,
        labels=forms.new_client_labels(protocols),
    )


def _confirm_page(client_id: int, preview, action: str) -> str:
    """The question before a cancellation: what would change, and the button that does it."""
    client = client_or_404(client_id)
    return render_template("confirm_session.html", client=client, p=preview, action=action)


def _profile_refused(client_id: int, questions: list[dict], languages: list, errors: dict) -> str:
    """The profile form again as typed, every problem beside its field and listed above it."""
    return render_template(
        "edit_client.html",
        client=client_or_404(client_id),
        questions=questions,
        languages=languages,
        values=request.form,
        errors=errors,
        labels=forms.profile_labels(questions),
    )


def _enrollment_page(client_id: int, enrollment: dict, new: bool, **mailed) -> str:
    """The link shown once: its QR code, and ready to copy or send by text or email (and by
    the server's mail, when MAIL_URL is set: `mailed` says how that went)."""
    client = client_or_404(client_id)
    clinic = current_clinician().clinic.name
    language = reads_in(client)
    send = invitation(client.name, client.contact, enrollment, clinic, client.timezone, language)
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
