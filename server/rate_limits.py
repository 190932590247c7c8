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

import hashlib
from collections.abc import Callable

from flask import Response, g, request
from flask_limiter.util import get_remote_address

from .extensions import limiter

# Failed sign-ins only: someone who mistypes makes a few; 10 per account stops guessing one
# password from many addresses, and 30 per address lets a clinic's desk share its connection.
SIGN_IN_PER_ACCOUNT = "10 per 15 minutes"
SIGN_IN_PER_ADDRESS = "30 per 15 minutes"
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


def allowance(limit: str) -> int:
    """How many requests `limit` allows in its window: "30 per hour" -> 30."""
    return int(limit.split()[0])


def _address() -> str:
    return "address:" + get_remote_address()


def _device() -> str:
    # Only on views behind authenticate_device, whose before_request runs first.
    return f"device:{g.device.id}"


def _submitted_email() -> str:
    """The key for one clinician's account: the email as typed, normalised like sign-in does."""
    data = request.form if request.form else request.get_json(silent=True)
    email = data.get("email") if isinstance(data, dict) else None  # a form is a dict too
    typed = email.strip().lower()[:320] if isinstance(email, str) else ""
    # Hashed: the key is logged when the limit is hit and kept in Redis, and people do type
    # their password into the email field. Any text hashes, half a character ("\ud800") too.
    return "account:" + hashlib.sha256(typed.encode("utf-8", "surrogatepass")).hexdigest()


def _sign_in_failed(response: Response) -> bool:
    # A wrong password (the form answers 200 with a message: auth.sign_in says so in g), or
    # any refusal at all: a body that cannot be read counts like a guess.
    return g.get("sign_in_failed", False) or response.status_code >= 400


def _enrollment_refused(response: Response) -> bool:
    return response.status_code >= 400  # a wrong code, or any body that was refused


def _limited(view: Callable, *limits: tuple[str, str, Callable[[], str]], **options) -> Callable:
    """Wrap `view` in each (limit, scope, key) for POST; stacked, they are checked together."""
    for limit, scope, key in limits:
        view = limiter.shared_limit(limit, scope, key_func=key, methods=["POST"], **options)(view)
    return view


def limit_sign_in(view: Callable) -> Callable:
    """Decorate a sign-in view: 429 with Retry-After after too many failures."""
    return _limited(
        view,
        (SIGN_IN_PER_ACCOUNT, "sign-in-account", _submitted_email),
        (SIGN_IN_PER_ADDRESS, "sign-in-address", _address),
        deduct_when=_sign_in_failed,
    )


def limit_enrollment(view: Callable) -> Callable:
    """Decorate the enrollment view: 429 after too many refused codes from one address."""
    return _limited(
        view,
        (ENROLL_FAILURES_PER_ADDRESS, "enroll-address", _address),
        deduct_when=_enrollment_refused,
    )


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
