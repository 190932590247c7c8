"""Signing in and out of the dashboard, and changing one's password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import rate_limits
from ..clinic import auth
from ..clinic.staff import MIN_PASSWORD_LENGTH
from ..clock import now
from ..domain.errors import AccountDeactivated, InvalidField
from ..extensions import db

bp = Blueprint("account", __name__)


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
        flash(refusal.message, "error")
        return render_template("login.html", email=email), 403
    db.session.commit()
    if clinician is None:
        flash("Wrong email or password.", "error")
        return render_template("login.html", email=email)
    return redirect(_safe_next(request.args.get("next")))


@bp.post("/logout")
def logout():
    """Sign out on every browser at once."""
    auth.sign_out_everywhere(now())
    db.session.commit()
    flash("You are signed out, on every browser.", "info")
    return redirect(url_for("dashboard.account.login"))


@bp.route("/password", methods=["GET", "POST"])
def password():
    """Change one's password; every other browser is signed out."""
    if request.method == "GET":
        return render_template("password.html", min_length=MIN_PASSWORD_LENGTH)
    new = request.form.get("new", "")
    if len(new) < MIN_PASSWORD_LENGTH or len(new) > 1000:
        flash(f"Choose a new password of at least {MIN_PASSWORD_LENGTH} characters.", "error")
    elif new != request.form.get("confirm"):
        flash("The two new passwords differ.", "error")
    else:
        try:
            changed = auth.change_password(request.form.get("current", ""), new, now())
        except InvalidField as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            if changed:
                flash("Password changed. Every other browser is signed out.", "info")
                return redirect(url_for("dashboard.clients.list_page"))
            flash("Your current password is not right.", "error")
    return render_template("password.html", min_length=MIN_PASSWORD_LENGTH), 422


def _safe_next(target: str | None) -> str:
    """Only a path inside the dashboard: never another site (an open redirect)."""
    if target and target.startswith("/clinic/") and not target.startswith("/clinic//"):
        return target
    return url_for("dashboard.clients.list_page")
