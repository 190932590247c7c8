"""Working the call list: mark a client's concerns handled with an outcome and a note, or add
a note to their timeline."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, request, url_for

from ..clinic import calls
from ..clinic.scope import client_or_404
from ..clock import now
from ..domain.concerns import NOTE, OUTCOMES, plural
from ..domain.errors import InvalidField
from ..extensions import db

bp = Blueprint("calls", __name__)


@bp.post("/clients/<int:client_id>/calls")
def handle(client_id: int):
    """The outcome of a call (handling the concerns the clinician saw), or a note."""
    outcome = request.form.get("outcome", "")
    concern_ids = [value for value in request.form.getlist("concern") if value.isdigit()]
    try:
        result = calls.handle(client_id, outcome, request.form.get("note", ""), concern_ids, now())
    except InvalidField as error:
        db.session.rollback()
        flash(f"Nothing was saved: {error}", "error")
        return _back(client_id)
    db.session.commit()
    name = client_or_404(client_id).name
    if outcome == NOTE:
        flash("Note added to the timeline.", "info")
    else:
        handled = plural(result.handled, "concern")
        flash(f"{OUTCOMES[outcome]}: {handled} marked handled for {name}.", "info")
    return _back(client_id)


def _back(client_id: int):
    """Back where the form was: the list (with its filters) or the client's page."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return redirect(target, code=303)
    return redirect(url_for("dashboard.clients.client", client_id=client_id, _anchor="calls"), 303)
