"""Working the call list: mark a client's concerns handled with an outcome and a note, or add
a note to their timeline."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..clinic import calls
from ..clinic.scope import client_or_404
from ..clock import now
from ..domain.concerns import NOTE
from ..domain.errors import InvalidField
from ..extensions import db
from .labels import OUTCOMES
from .refusals import said

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
        flash(_("Nothing was saved: %(problem)s", problem=said(error.message)), "error")
        return _back(client_id)
    db.session.commit()
    name = client_or_404(client_id).name
    if outcome == NOTE:
        flash(_("Note added to the timeline."), "info")
    else:
        handled = ngettext(
            "%(outcome)s: %(num)d concern marked handled for %(name)s.",
            "%(outcome)s: %(num)d concerns marked handled for %(name)s.",
            result.handled,
            outcome=OUTCOMES[outcome],
            name=name,
        )
        flash(handled, "info")
    return _back(client_id)


def _back(client_id: int):
    """Back where the form was: the list (with its filters) or the client's page."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return redirect(target, code=303)
    return redirect(url_for("dashboard.clients.client", client_id=client_id, _anchor="calls"), 303)
