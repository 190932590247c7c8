"""The clinic's dashboard at /clinic: server-rendered pages, no inline script or style.

Views are thin: parse the form, call one use case, commit, redirect or render. Every page
but sign-in needs a signed-in clinician; a client id in the URL must be their clinic's.
"""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..clinic.scope import client_or_404
from ..domain.errors import DomainError, TooManyAttempts
from ..errors import described
from . import account, admin, calls, client_pages, formatting, plan_warnings, reasons, refusals

bp = Blueprint(
    "dashboard",
    __name__,
    url_prefix="/clinic",
    template_folder="templates",
    static_folder="static",
)
PUBLIC_ENDPOINTS = {
    "dashboard.account.login",
    "dashboard.account.forgot",
    "dashboard.account.reset",
    "dashboard.static",
}
# All that opens to someone signed in with a temporary password.
TEMPORARY_PASSWORD_ENDPOINTS = {"dashboard.account.password", "dashboard.account.logout"}


@bp.before_request
def require_sign_in():
    """Anyone not signed in (or signed out since) goes to the sign-in page; anyone signed in
    with a temporary password, to the form that replaces it."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("dashboard.account.login", next=request.full_path.rstrip("?")))
    if current_user.must_change_password and request.endpoint not in TEMPORARY_PASSWORD_ENDPOINTS:
        return redirect(url_for("dashboard.account.password"))
    client_id = (request.view_args or {}).get("client_id")
    if client_id is not None:
        client_or_404(client_id)
    return None


@bp.errorhandler(HTTPException)
def error_page(error: HTTPException):
    """The dashboard's own error pages, keeping headers such as Retry-After."""
    status = error.code or 500
    message = error.description
    if isinstance(error, CSRFError):
        message = "This form has expired. Go back, reload the page and try again."
    response = render_template("error.html", status=status, message=message), status
    return response


@bp.errorhandler(DomainError)
def refused_page(error: DomainError):
    """A refusal no form handled (no such client, not an admin): its page, its status."""
    status, _, message, _ = described(error)
    if isinstance(error, TooManyAttempts):  # at sign-in: the form again, with when to retry
        flash(refusals.said(message), "error")
        page = render_template("login.html", email=request.form.get("email", "")[:320])
        return page, status, {"Retry-After": str(error.retry_after)}
    return render_template("error.html", status=status, message=message), status


bp.register_blueprint(account.bp)
bp.register_blueprint(client_pages.bp)
bp.register_blueprint(admin.bp)
bp.register_blueprint(calls.bp)
bp.context_processor(formatting.helpers)
bp.context_processor(lambda: {"reason": reasons.reason})
bp.context_processor(lambda: {"warning_text": plan_warnings.warning_text})
bp.add_app_template_filter(refusals.said, "said")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
