"""Clinicians signing in and out of the dashboard (Flask-Login, one cookie session).

A session ends on its own, too: after SESSION_IDLE_MINUTES without a request and
SESSION_MAX_HOURS after signing in, so a cookie copied from a shared desk computer is soon
worth nothing. The expired request goes on as nobody's: the dashboard sends it to sign in
and back, the API answers 401.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from functools import cache

from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update

from .. import clock
from ..domain.errors import AccountDeactivated, InvalidField, NotSignedIn
from ..domain.wording import N_
from ..extensions import db, login_manager
from ..models import Clinician, PasswordReset
from ..models.clinic import password_hasher
from ..schemas.fields import has_control_characters
from . import audit
from .scope import current_clinician


@login_manager.user_loader
def load_clinician(user_id: str) -> Clinician | None:
    """The clinician behind a session's "id:epoch", unless deactivated or signed out since."""
    clinician_id, _, epoch = user_id.partition(":")
    if not (clinician_id.isdigit() and epoch.isdigit()):
        return None
    clinician = db.session.get(Clinician, int(clinician_id))
    if clinician is None or not clinician.active or clinician.session_epoch != int(epoch):
        return None
    return clinician


@login_manager.unauthorized_handler
def unauthorized():
    # The API answers in its envelope; a redirect to a login page would mean nothing to it.
    raise NotSignedIn("Sign in first.")


@cache
def _decoy_hash() -> str:
    return password_hasher.hash("a decoy, never anyone's password")


def accounts(email: str) -> list[Clinician]:
    """Every account with this email, at any clinic (emails are unique within one only)."""
    if has_control_characters(email):  # no one's email, and PostgreSQL refuses NUL
        return []
    query = select(Clinician).where(Clinician.email == email.strip().lower())
    return list(db.session.scalars(query.order_by(Clinician.id)))


def sign_in(email: str, password: str, now: datetime) -> Clinician | None:
    """Sign in with email and password; None on any failure, deliberately without saying why,
    except AccountDeactivated to the person who gave a deactivated account's right password.
    The caller commits either way (failed attempts are audited).

    Someone with accounts at two clinics has a different password at each (password_in_use):
    the password says which account is meant.
    """
    found = accounts(email)
    if not found:
        # Spend the time a real check takes, so timing does not tell which emails exist.
        Clinician(password_hash=_decoy_hash()).check_password(password)
        return None
    clinician = next((c for c in found if c.check_password(password)), None)
    if clinician is None:
        for account in found:
            detail = {"reason": "wrong_password"}
            audit.record("clinician.sign_in_failed", detail=detail, now=now, by=account)
        return None
    if not clinician.active:
        # The password was right: saying so tells its owner only what they can act on.
        detail = {"reason": "inactive"}
        audit.record("clinician.sign_in_failed", detail=detail, now=now, by=clinician)
        raise AccountDeactivated
    start_session(clinician, now)
    g.known_browser = email  # the response remembers this browser (_remember_browser)
    g.signed_in = True  # the try is given back (rate_limits.limit_sign_in)
    audit.record("clinician.sign_in", now=now)
    return clinician


# A browser that signed in to an account is known to it for this long: the sign-in limit
# that counts attempts from anywhere does not hold it back (rate_limits.py says why).
KNOWN_BROWSER = "aftercue_known"
KNOWN_FOR = timedelta(days=90)


def known_browser(email: str) -> bool:
    """Whether this browser signed in to the account `email` names before."""
    cookie = request.cookies.get(KNOWN_BROWSER)
    if not cookie:
        return False
    try:
        accounts = _signer().loads(cookie, max_age=int(KNOWN_FOR.total_seconds()))
    except BadSignature:
        return False
    return isinstance(accounts, list) and account_hash(email) in accounts


def _remember_browser(response: Response) -> Response:
    email = g.pop("known_browser", None)
    if email is None:
        return response
    accounts = [account_hash(email)]
    try:
        earlier = _signer().loads(request.cookies.get(KNOWN_BROWSER, ""))
        accounts += [a for a in earlier if a not in accounts][:4]  # a few colleagues' too
    except (BadSignature, TypeError):
        pass
    response.set_cookie(
        KNOWN_BROWSER,
        _signer().dumps(accounts),
        max_age=int(KNOWN_FOR.total_seconds()),
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )
    return response


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-browser")


def account_hash(email: str) -> str:
    """One account, by the email as sign-in normalises it; hashed, so a cookie or a rate-limit
    key names no one (and people do type their password into the email field). Any text
    hashes, half a character ("\ud800") too."""
    typed = email.strip().lower()[:320]
    return hashlib.sha256(typed.encode("utf-8", "surrogatepass")).hexdigest()


def sign_out_everywhere(now: datetime) -> None:
    """End this clinician's every session, on every browser, by moving their epoch on."""
    clinician = current_clinician()
    audit.record("clinician.sign_out", now=now)
    end_sessions(clinician)
    logout_user()
    rotate_csrf_token()


def change_password(current: str, new: str, now: datetime) -> bool:
    """Change the signed-in clinician's password (set_new_password says what follows).

    False when `current` is wrong.
    """
    clinician = current_clinician()
    if not clinician.check_password(current):
        audit.record("clinician.password_change_failed", now=now)
        return False
    set_new_password(clinician, new, now)
    audit.record("clinician.password_change", now=now, by=clinician)
    return True


def set_new_password(clinician: Clinician, new: str, now: datetime) -> None:
    """Give `clinician` the password they chose, however they came to choose it: it is no
    longer temporary, every session of theirs ends and every unused reset link stops. This
    browser is signed in as them, under the new epoch."""
    if password_in_use(clinician.email, new, besides=clinician):
        raise InvalidField("new_password", USED_AT_ANOTHER_CLINIC)
    clinician.set_password(new)
    clinician.must_change_password = False
    end_sessions(clinician)
    cancel_reset_links(clinician.id, now)
    db.session.flush()
    db.session.refresh(clinician)
    start_session(clinician, now)


def cancel_reset_links(clinician_id: int, now: datetime) -> None:
    """Stop every reset link of the clinician that would still work."""
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.clinician_id == clinician_id, *unused_reset(now))
        .values(cancelled_at=now)
        .execution_options(synchronize_session=False)
    )


def unused_reset(now: datetime) -> tuple:
    """Conditions on a PasswordReset that would still work (its clinician aside)."""
    return (
        PasswordReset.used_at.is_(None),
        PasswordReset.cancelled_at.is_(None),
        PasswordReset.expires_at > now,
    )


def start_session(clinician: Clinician, now: datetime) -> None:
    """Sign this browser in as `clinician`, with a new CSRF token."""
    login_user(clinician)
    _stamp(now, signed_in=True)
    rotate_csrf_token()


USED_AT_ANOTHER_CLINIC = N_(
    "Your account at another clinic has this password: choose a different one for each, "
    "so signing in says which clinic you mean."
)


def password_in_use(email: str, password: str, besides: Clinician | None = None) -> bool:
    """Whether another account with this email (at another clinic) has this password. Only
    its owner, who knows both passwords, can learn the answer."""
    return any(a.check_password(password) for a in accounts(email) if a is not besides)


def end_sessions(clinician: Clinician) -> None:
    """Invalidate every session cookie issued to `clinician` (sign-out, deactivation)."""
    db.session.execute(
        update(Clinician)
        .where(Clinician.id == clinician.id)
        .values(session_epoch=Clinician.session_epoch + 1)
    )


def signed_in() -> dict:
    """Who is signed in (or null), and the CSRF token this browser sends with changes."""
    clinician = current_user._get_current_object() if current_user.is_authenticated else None
    return {"clinician": clinician, "csrf_token": generate_csrf()}


def rotate_csrf_token() -> None:
    """A new CSRF token when who is signed in changes, so an old page's token stops working."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    generate_csrf()


def init_app(app: Flask) -> None:
    """End stale sessions before the dashboard or the clinic's API sees who is signed in, and
    remember a browser that signed in."""
    app.before_request(_expire_stale_session)
    app.after_request(_remember_browser)


CLINIC_PATHS = ("/clinic/", "/api/v1/clinic/")


def _expire_stale_session() -> None:
    if not request.path.startswith(CLINIC_PATHS) or "_user_id" not in session:
        return
    now = clock.now()
    config = current_app.config
    signed_in, seen = session.get("signed_in_at", 0), session.get("seen_at", 0)
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"]).total_seconds()
    lifetime = timedelta(hours=config["SESSION_MAX_HOURS"]).total_seconds()
    moment = now.timestamp()
    if moment - seen > idle or moment - signed_in > lifetime:
        logout_user()
        session.pop("signed_in_at", None)
        session.pop("seen_at", None)
        return
    _stamp(now)


def _stamp(now: datetime, signed_in: bool = False) -> None:
    """Note this request's moment in the session (and the sign-in's, when it is one)."""
    session.permanent = True  # the cookie lives SESSION_MAX_HOURS, not the browser's life
    session["seen_at"] = int(now.timestamp())
    if signed_in:
        session["signed_in_at"] = int(now.timestamp())
