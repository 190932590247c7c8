"""Rate limits: every number in one place, and the decorators that put them on views.

Flask-Limiter counts in RATELIMIT_STORAGE_URI: this process's memory, or Redis when REDIS_URL
is set, which every worker and host then share. A window is fixed and starts at its first
counted request. Past a limit the answer is 429 `rate_limited` with Retry-After (errors.py);
the app takes it as "try again later" and keeps its ticks on the phone meanwhile.

Each is counted per address and per account (a clinician, a device) where there is one. The
per-address limits are the looser: a clinic's clients share its Wi-Fi, and mobile carriers put
many phones behind one address. The address is the client's own only as far as TRUSTED_PROXIES
says (ProxyFix); a forged X-Forwarded-For counts for nothing otherwise.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable

from flask import Response, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from .clinic.auth import account_hash, known_browser
from .domain.errors import TooManyAttempts
from .extensions import limiter

log = logging.getLogger(__name__)

# Sign-in: every attempt counts, before the password is checked, in one atomic step of the
# storage (so 24 guesses at once check no more than the limit, across threads, processes and
# hosts). Someone who mistypes makes a few, and signs in a few times a day: 10 from one
# address to one account is plenty, and stops a guesser there. From anywhere, 20 to one
# account, except for a browser that signed in to that account before (a signed cookie,
# auth.py), so a guesser elsewhere cannot lock the real person out. 30 from one address to
# any accounts lets a clinic's desk share its connection, and stops spraying one password.
SIGN_IN_PER_ACCOUNT_AND_ADDRESS = "10 per 15 minutes"
SIGN_IN_PER_ACCOUNT = "20 per 15 minutes"
SIGN_IN_PER_ADDRESS = "30 per 15 minutes"
# "Forgot your password?" sends email: a person asks once, perhaps again when it is slow to
# come. 5 an hour per typed email stops anyone flooding a colleague's inbox with links; 20 per
# address lets a clinic's desk share its connection and stops trying emails in bulk. Counted
# whether or not an account has the email, so the limit tells nothing either.
FORGOT_PER_EMAIL = "5 per hour"
FORGOT_PER_ADDRESS = "20 per hour"
# Refused reset links only: a token has 192 random bits, so this only stops trying at scale.
RESET_FAILURES_PER_ADDRESS = "30 per 15 minutes"
# Failed enrollments only (no device exists yet to count by): a phone redeems its link once,
# and reopening a used link is a rare slip. A code has 192 random bits, so guessing is hopeless
# anyway; this stops anyone from trying at scale, yet a clinic enrolling a waiting room of
# clients on one Wi-Fi, some retrying an old link, stays far below 30.
ENROLL_FAILURES_PER_ADDRESS = "30 per 15 minutes"
# The app syncs at start, on each tick, when back online or in view, and retries with backoff;
# a client ticking off a whole day's care makes about 10. 60 in 10 minutes is out of reach of a
# person but stops a stuck loop or a stolen token from hammering the database.
SYNC_PER_DEVICE = "60 per 10 minutes"
# Five phones flat out; a clinic's Wi-Fi full of clients syncing normally makes far fewer.
SYNC_PER_ADDRESS = "300 per 10 minutes"
# The app sends its push subscription each time it opens and when the browser changes it:
# a few times a day.
PUSH_SUBSCRIBE_PER_DEVICE = "30 per hour"
PUSH_SUBSCRIBE_PER_ADDRESS = "150 per hour"
# Exports read a whole record: a client keeps a copy now and then, a clinician downloads a
# list or a few clients' tasks while reviewing. More in an hour is a loop or a scraper.
EXPORT_PER_DEVICE = "10 per hour"
EXPORT_PER_CLINICIAN = "60 per hour"
# A client takes a photo or two a day; a phone back after a week offline sends a few dozen at
# once, a retry included. Each may be 15 MB to read and decode: more is a loop or a flood.
PHOTOS_PER_DEVICE = "60 per hour"


def allowance(limit: str) -> int:
    """How many requests `limit` allows in its window: "30 per hour" -> 30."""
    return int(limit.split()[0])


def _address() -> str:
    return "address:" + get_remote_address()


def _device() -> str:
    # Only on views behind authenticate_device, whose before_request runs first.
    return f"device:{g.device.id}"


def _enrollment_refused(response: Response) -> bool:
    return response.status_code >= 400  # a wrong code, or any body that was refused


def _link_refused(response: Response) -> bool:
    return response.status_code == 410  # the reset page's answer to a link that does not work


def _limited(
    view: Callable, *limits: tuple[str, str, Callable[[], str]], methods=("POST",), **options
) -> Callable:
    """Wrap `view` in each (limit, scope, key) for `methods`; stacked, they are checked
    together."""
    for limit, scope, key in limits:
        view = limiter.shared_limit(limit, scope, key_func=key, methods=list(methods), **options)(
            view
        )
    return view


def limit_enrollment(view: Callable) -> Callable:
    """Decorate the enrollment view: 429 after too many refused codes from one address."""
    return _limited(
        view,
        (ENROLL_FAILURES_PER_ADDRESS, "enroll-address", _address),
        deduct_when=_enrollment_refused,
    )


def limit_forgot_password(view: Callable) -> Callable:
    """Decorate the forgot-password form: every request counts, per typed email and address."""
    message = "Too many requests for a new password. Try again in an hour."
    return _limited(
        view,
        (FORGOT_PER_EMAIL, "forgot-email", _typed_account),
        (FORGOT_PER_ADDRESS, "forgot-address", _address),
        error_message=message,
    )


def limit_password_reset(view: Callable) -> Callable:
    """Decorate the reset-link page: 429 after too many refused links from one address."""
    return _limited(
        view,
        (RESET_FAILURES_PER_ADDRESS, "reset-address", _address),
        methods=("GET", "POST"),
        deduct_when=_link_refused,
        error_message="Too many links that do not work. Try again in 15 minutes.",
    )


def _typed_account() -> str:
    return "account:" + account_hash(_typed_email())


def limit_sync(view: Callable) -> Callable:
    """Decorate the sync view: every request counts, per device and per address."""
    return _limited(
        view,
        (SYNC_PER_DEVICE, "sync-device", _device),
        (SYNC_PER_ADDRESS, "sync-address", _address),
    )


def limit_push_subscribe(view: Callable) -> Callable:
    """Decorate the push-subscribe view: every request counts, per device and per address."""
    return _limited(
        view,
        (PUSH_SUBSCRIBE_PER_DEVICE, "push-subscribe-device", _device),
        (PUSH_SUBSCRIBE_PER_ADDRESS, "push-subscribe-address", _address),
    )


def limit_device_export(view: Callable) -> Callable:
    """Decorate the client's export: every request counts, per device."""
    return _limited(view, (EXPORT_PER_DEVICE, "export-device", _device), methods=("GET",))


def limit_photo_upload(view: Callable) -> Callable:
    """Decorate the photo upload: every request counts, per device (one sent again too)."""
    return _limited(view, (PHOTOS_PER_DEVICE, "photos-device", _device), methods=("PUT",))


def limit_clinician_export(view: Callable) -> Callable:
    """Decorate a dashboard export: every request counts, per signed-in clinician (the
    dashboard's before_request has checked who)."""
    return _limited(view, (EXPORT_PER_CLINICIAN, "export-clinician", _clinician), methods=("GET",))


def _clinician() -> str:
    return f"clinician:{current_user.id}"


# --- Sign-in: counted by hand, before the password is checked ------------------------------

# Used while Redis cannot be reached, as Flask-Limiter does for the decorated limits.
_FALLBACK = FixedWindowRateLimiter(MemoryStorage())


def limit_sign_in(view: Callable) -> Callable:
    """Decorate a sign-in view: each POST counts (count_sign_in) before its body is even
    validated, so a refused request costs a try like a wrong password does; a successful
    sign-in gives its try back (auth.sign_in sets g.signed_in)."""

    @functools.wraps(view)
    def counted(*args, **kwargs):
        if request.method != "POST":
            return view(*args, **kwargs)
        email = _typed_email()
        counted_on = count_sign_in(email, known_browser(email))
        response = view(*args, **kwargs)
        if g.get("signed_in"):
            for item, keys in counted_on:
                _hit(item, *keys, cost=-1)
        return response

    return counted


def _typed_email() -> str:
    data = request.form if request.form else request.get_json(silent=True)
    email = data.get("email") if isinstance(data, dict) else None  # a form is a dict too
    return email if isinstance(email, str) else ""


def count_sign_in(email: str, known_browser: bool) -> list[tuple]:
    """Count one attempt to sign in as `email` from this address; TooManyAttempts past a
    limit, with how long to wait. A browser that signed in to this account before is held to
    the limits of its own address only. Returns the counts it added, as (limit, keys)."""
    if not limiter.enabled:
        return []
    account, address = "account:" + account_hash(email), _address()
    checks = [
        (SIGN_IN_PER_ACCOUNT_AND_ADDRESS, "sign-in-account-address", (account, address)),
        (SIGN_IN_PER_ADDRESS, "sign-in-address", (address,)),
    ]
    if not known_browser:
        checks.append((SIGN_IN_PER_ACCOUNT, "sign-in-account", (account,)))
    counted = []
    for text, scope, keys in checks:
        item = parse(text)
        counted.append((item, (scope, *keys)))
        if not _hit(item, scope, *keys):
            log.info("sign-in limit %s reached for %s", scope, " ".join(keys))
            raise TooManyAttempts(_wait(item, scope, *keys))
    return counted


def _hit(item, *keys: str, cost: int = 1) -> bool:
    """Add `cost` to the count in one atomic step (a negative cost gives tries back)."""
    try:
        return limiter.limiter.hit(item, *keys, cost=cost)
    except Exception:  # Redis down: count in this process's memory, as the other limits do
        log.warning("rate-limit storage unreachable; counting sign-ins in memory")
        return _FALLBACK.hit(item, *keys, cost=cost)


def _wait(item, *keys: str) -> int:
    try:
        reset = limiter.limiter.get_window_stats(item, *keys).reset_time
    except Exception:
        reset = _FALLBACK.get_window_stats(item, *keys).reset_time
    return max(1, int(reset - time.time()) + 1)
