"""Signing in and out of the dashboard, changing one's password, and choosing a new one with a
one-time link (from an admin, or asked for by email)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import rate_limits
from ..clinic import auth, mailer, password_resets
from ..clinic.staff import MIN_PASSWORD_LENGTH, new_password_problem
from ..clock import now
from ..domain.errors import AccountDeactivated, InvalidField
from ..domain.password_reset import lifetime
from ..extensions import db
from ..languages import offered
from .refusals import said

bp = Blueprint("account", __name__)
# A link from "Forgot your password?" shows only when the server can send email.
bp.context_processor(lambda: {"can_email": mailer.configured()})


@bp.route("/login", methods=["GET", "POST"])
@rate_limits.limit_sign_in
def login():
    """The sign-in form; back to where the clinician was going once signed in."""
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(url_for("dashboard.clients.list_page"))
        return render_template("login.html", email="")
    email = request.form.get("email", "")[:320]
    try:
        clinician = auth.sign_in(email, request.form.get("password", "")[:1000], now())
    except AccountDeactivated as refusal:
        db.session.commit()  # failed attempts are audited too
        flash(said(refusal.message), "error")
        return render_template("login.html", email=email), 403
    db.session.commit()
    if clinician is None:
        flash(_("Wrong email or password."), "error")
        return render_template("login.html", email=email)
    return redirect(_safe_next(request.args.get("next")))


@bp.post("/logout")
def logout():
    """Sign out on every browser at once."""
    auth.sign_out_everywhere(now())
    db.session.commit()
    flash(_("You are signed out, on every browser."), "info")
    return redirect(url_for("dashboard.account.login"))


@bp.route("/password", methods=["GET", "POST"])
def password():
    """Change one's password; every other browser is signed out."""
    if request.method == "GET":
        return _account_page()
    new = request.form.get("new", "")
    problem = new_password_problem(new, request.form.get("confirm", ""))
    if problem:
        flash(said(problem), "error")
    else:
        try:
            changed = auth.change_password(request.form.get("current", ""), new, now())
        except InvalidField as error:
            db.session.rollback()
            flash(said(error.message), "error")
        else:
            db.session.commit()
            if changed:
                flash(_("Password changed. Every other browser is signed out."), "info")
                return redirect(url_for("dashboard.clients.list_page"))
            flash(_("Your current password is not right."), "error")
    return _account_page(), 422


@bp.post("/language")
def language():
    """One's own dashboard language, or none: the clinic's."""
    choice = request.form.get("language", "")
    if choice and choice not in offered(current_app.config["PSEUDO_LOCALE"]):
        flash(_("Choose a language from the list."), "error")
        return _account_page(), 422
    current_user.language = choice or None
    db.session.commit()
    flash(_("Saved."), "info")
    return redirect(url_for(".password"))


def _account_page() -> str:
    languages = offered(current_app.config["PSEUDO_LOCALE"])
    return render_template("password.html", min_length=MIN_PASSWORD_LENGTH, languages=languages)


@bp.route("/forgot", methods=["GET", "POST"])
@rate_limits.limit_forgot_password
def forgot():
    """Ask for a link by email; the answer is the same whether or not the email has an account."""
    if not mailer.configured():
        abort(404)
    if request.method == "GET":
        return render_template("forgot.html")
    password_resets.email_forgotten(request.form.get("email", "")[:320], now())
    db.session.commit()
    works_for = lifetime(password_resets.forgot_lifetime())
    flash(
        _(
            "If an account has this email, we have emailed it a link to choose a new password. "
            "It works once, for %(duration)s.",
            duration=works_for,
        ),
        "info",
    )
    return redirect(url_for(".login"))


@bp.route("/reset", methods=["GET", "POST"])
@rate_limits.limit_password_reset
def reset():
    """A one-time link's page: choose a new password, then be signed in with it."""
    token = request.values.get("token", "")[:100]
    try:
        clinician = password_resets.holder(token, now())
    except password_resets.InvalidResetLink:
        return _link_not_working()
    page = {"person": clinician, "token": token, "min_length": MIN_PASSWORD_LENGTH}
    if request.method == "GET":
        return render_template("reset.html", **page)
    new = request.form.get("new", "")
    problem = new_password_problem(new, request.form.get("confirm", ""))
    if problem is None:
        try:
            password_resets.use(token, new, now())
        except password_resets.InvalidResetLink:
            db.session.rollback()
            return _link_not_working()
        except InvalidField as error:
            db.session.rollback()
            problem = error.message
        else:
            db.session.commit()
            flash(_("Your new password is set. Every other browser is signed out."), "info")
            return redirect(url_for("dashboard.clients.list_page"))
    flash(said(problem), "error")
    return render_template("reset.html", **page), 422


def _link_not_working():
    return render_template("reset.html", person=None), 410


def _safe_next(target: str | None) -> str:
    """Only a path inside the dashboard: never another site (an open redirect)."""
    if target and target.startswith("/clinic/") and not target.startswith("/clinic//"):
        return target
    return url_for("dashboard.clients.list_page")
