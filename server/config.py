"""Settings from the environment: the only module that reads environment variables."""

import os
import secrets
from collections.abc import Callable, Mapping
from datetime import timedelta
from email.utils import parseaddr
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from publicsuffixlist import PublicSuffixList
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .reminders import vapid
from .reminders.endpoints import DEFAULT_ALLOWED_HOSTS

REPO_DIR = Path(__file__).resolve().parent.parent

# Every variable Aftercue reads, with its default and meaning; the README's table mirrors this.
VARIABLES = {
    "SECRET_KEY": (
        "generated once into `instance/secret_key`",
        "Signs sessions and tokens. At least 32 characters; set it when running several hosts.",
    ),
    "DATABASE_URL": (
        "SQLite file `instance/aftercue.sqlite3`",
        "`sqlite:///…` or `postgresql://…` (`postgres://` is accepted too).",
    ),
    "PUBLIC_URL": (
        "`http://127.0.0.1:5000`",
        "Where people reach Aftercue; used to build links such as enrollment links. With "
        "`https://`, the clinic's cookies are sent over https only.",
    ),
    "PROTOCOLS_DIR": ("`protocols/` in the repository", "Folder of aftercare protocol files."),
    "PROTOCOLS_RECHECK_SECONDS": (
        "`5`",
        "How often, at most, each server process looks for changed protocol files (on its next "
        "request): a corrected file is offered without a restart. From 1 to 3600.",
    ),
    "LOG_LEVEL": ("`INFO`", "`DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`."),
    "VAPID_PRIVATE_KEY": (
        "generated once into `instance/vapid_private.pem`",
        "The Web Push (VAPID) P-256 private key, PEM or base64url. Set the same one on every host.",
    ),
    "VAPID_SUBJECT": (
        "`mailto:` the clinic-admin address of the host in `PUBLIC_URL`",
        "How push services can reach the operator: a `mailto:` or `https:` URL.",
    ),
    "PUSH_ALLOWED_HOSTS": (
        "FCM, Mozilla autopush, Apple, Windows",
        "Comma-separated host patterns of push services the server may send to (`*.` wildcards).",
    ),
    "PUSH_EXTRA_ORIGINS": (
        "none",
        "Comma-separated origins (`https://push.staging.example:8443`) of a staging or "
        "self-hosted push service, allowed as written: any port, http too, even on a private "
        "address. Refused with an https `PUBLIC_URL` unless `PUSH_EXTRA_ORIGINS_IN_PRODUCTION` "
        "is `on`.",
    ),
    "PUSH_EXTRA_ORIGINS_IN_PRODUCTION": (
        "`off`",
        "`on` lets `PUSH_EXTRA_ORIGINS` be used with an https `PUBLIC_URL`: the server will "
        "then send clients' reminders to that origin.",
    ),
    "SESSION_DAYS_BACK": (
        "`365`",
        "A session may be entered at most this many days after it started.",
    ),
    "SESSION_DAYS_AHEAD": (
        "`730`",
        "A session may be booked at most this many days ahead.",
    ),
    "COURSE_MAX_DAYS": (
        "`730`",
        "A client's sessions may span at most this many days, first to last: a plan has tasks "
        "for every day of its course.",
    ),
    "REMINDER_GRACE_MINUTES": (
        "`30`",
        "A reminder that cannot go out this many minutes after its time is dropped, not sent late.",
    ),
    "REDIS_URL": (
        "unset: counts kept in each process's memory",
        "`redis://…` or `rediss://…`: where rate limits are counted, shared by every "
        "process and host. Set it when running more than one. While it is unreachable, each "
        "process counts in its own memory.",
    ),
    "RATE_LIMITS": (
        "`on`",
        "`off` turns every rate limit off: only for load tests and benchmarks, whose simulated "
        "phones sync far faster than a person taps.",
    ),
    "PSEUDO_LOCALE": (
        "`off`",
        "`on` offers the pseudo-locale `en-XA` (every dashboard text accented, longer and "
        "between ⟦ ⟧) beside the real languages: for finding untranslated or cut-off text in "
        "development and tests, never in production.",
    ),
    "SESSION_IDLE_MINUTES": (
        "`30`",
        "A clinician's dashboard session ends after this many minutes without a request.",
    ),
    "SESSION_MAX_HOURS": (
        "`12`",
        "A clinician's dashboard session ends this many hours after signing in, in use or not.",
    ),
    "MAIL_URL": (
        "unset: no email is sent (the dashboard's `mailto:` links still work)",
        "`smtp://[user:password@]host[:port]` (port 587; STARTTLS, required with a password) "
        "or `smtps://…` (port 465, TLS throughout): the mail server the dashboard sends "
        "through, such as a client's enrollment link.",
    ),
    "MAIL_FROM": (
        "`Aftercue <no-reply@…>` at the host of `PUBLIC_URL`",
        "Who the dashboard's emails are from: an address, or `Name <address>`.",
    ),
    "RESET_LINK_HOURS": (
        "`48`",
        "How long a password-reset link an admin issues works (once), in hours; at most 168.",
    ),
    "FORGOT_LINK_MINUTES": (
        "`60`",
        "How long a link from *Forgot your password?* works (once), in minutes; at most 1440.",
    ),
    "TRUSTED_PROXIES": (
        "`0`: `X-Forwarded-*` headers are ignored",
        "How many proxies in front of Aftercue set `X-Forwarded-For`, `-Proto` and `-Host`. "
        "Exactly that many: more lets anyone choose the address they are counted under.",
    ),
}

# Not read from the environment: the clinic's session cookie is out of reach of scripts
# (HttpOnly) and is not sent with other sites' cross-site POSTs (SameSite=Lax).
COOKIES = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
}
MAX_TRUSTED_PROXIES = 5

MIN_SECRET_KEY_LENGTH = 32
DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(RuntimeError):
    """An environment variable holds a value Aftercue cannot use."""


def from_env(instance_path: str | os.PathLike, environ: Mapping[str, str] | None = None) -> dict:
    """Return Flask settings from `environ` (default: os.environ); ConfigError on a bad value."""
    environ = os.environ if environ is None else environ
    instance = Path(instance_path)

    def get(name):
        # An empty variable counts as unset, as container tools often export them empty.
        return environ.get(name) or None

    public = public_url(get("PUBLIC_URL") or DEFAULT_PUBLIC_URL)
    max_hours = whole("SESSION_MAX_HOURS", get("SESSION_MAX_HOURS"), 12, 7 * 24)
    return {
        **COOKIES,
        **secure_cookies(public),
        "SECRET_KEY": secret_key(get("SECRET_KEY"), instance / "secret_key"),
        "SQLALCHEMY_DATABASE_URI": database_url(
            get("DATABASE_URL") or f"sqlite:///{instance / 'aftercue.sqlite3'}"
        ),
        "PUBLIC_URL": public,
        "PROTOCOLS_DIR": protocols_dir(get("PROTOCOLS_DIR")),
        "PROTOCOLS_RECHECK_SECONDS": whole(
            "PROTOCOLS_RECHECK_SECONDS", get("PROTOCOLS_RECHECK_SECONDS"), 5, 3600
        ),
        "LOG_LEVEL": log_level(get("LOG_LEVEL") or "INFO"),
        "VAPID_PRIVATE_KEY": vapid_key(get("VAPID_PRIVATE_KEY"), instance / "vapid_private.pem"),
        "VAPID_SUBJECT": vapid_subject(
            get("VAPID_SUBJECT"), get("PUBLIC_URL") or DEFAULT_PUBLIC_URL
        ),
        "PUSH_ALLOWED_HOSTS": allowed_hosts(get("PUSH_ALLOWED_HOSTS")),
        "PUSH_EXTRA_ORIGINS": extra_origins(
            get("PUSH_EXTRA_ORIGINS"),
            public,
            switch(
                "PUSH_EXTRA_ORIGINS_IN_PRODUCTION",
                get("PUSH_EXTRA_ORIGINS_IN_PRODUCTION") or "off",
            ),
        ),
        "SESSION_DAYS_BACK": whole("SESSION_DAYS_BACK", get("SESSION_DAYS_BACK"), 365, 3650),
        "SESSION_DAYS_AHEAD": whole("SESSION_DAYS_AHEAD", get("SESSION_DAYS_AHEAD"), 730, 3650),
        "COURSE_MAX_DAYS": whole("COURSE_MAX_DAYS", get("COURSE_MAX_DAYS"), 730, 3650),
        "REMINDER_GRACE_MINUTES": grace_minutes(get("REMINDER_GRACE_MINUTES") or "30"),
        "RATELIMIT_STORAGE_URI": rate_limit_storage(get("REDIS_URL")),
        # Redis down: count in this process's memory until it is back, rather than answer 500
        # (a phone's sync would wait for its retry; a clinician could not sign in).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_ENABLED": switch("RATE_LIMITS", get("RATE_LIMITS") or "on"),
        "PSEUDO_LOCALE": switch("PSEUDO_LOCALE", get("PSEUDO_LOCALE") or "off"),
        "TRUSTED_PROXIES": trusted_proxies(get("TRUSTED_PROXIES") or "0"),
        "SESSION_IDLE_MINUTES": whole(
            "SESSION_IDLE_MINUTES", get("SESSION_IDLE_MINUTES"), 30, 1440
        ),
        "SESSION_MAX_HOURS": max_hours,
        "MAIL": mail(get("MAIL_URL"), get("MAIL_FROM"), public),
        "RESET_LINK_HOURS": whole("RESET_LINK_HOURS", get("RESET_LINK_HOURS"), 48, 7 * 24),
        "FORGOT_LINK_MINUTES": whole(
            "FORGOT_LINK_MINUTES", get("FORGOT_LINK_MINUTES"), 60, 24 * 60
        ),
        # No cookie outlives the longest a session may last (Flask's default is 31 days).
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=max_hours),
    }


def secret_key(value: str | None, path: Path) -> str:
    """Return the given key, or the one kept at `path`, creating it on first use."""
    if value is not None:
        if len(value) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters long; "
                'generate one with: python3 -c "import secrets; print(secrets.token_urlsafe(32))"'
            )
        return value
    key = keep_once(path, lambda: secrets.token_urlsafe(32) + "\n").strip()
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(f"{path} holds no usable secret key; delete it to make a new one")
    return key


def database_url(value: str) -> str:
    """Return `value` as a SQLAlchemy URL for SQLite or PostgreSQL (via psycopg 3)."""
    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is not a database URL: {value!r}") from None
    if url.drivername == "sqlite":
        return value
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver spelled out.
    if url.drivername in ("postgres", "postgresql", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    raise ConfigError(
        f"DATABASE_URL must start with sqlite://, postgres:// or postgresql://, "
        f"not {url.drivername}://"
    )


def public_url(value: str) -> str:
    """Return `value` without a trailing slash, checking it is an http(s) origin or prefix."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"PUBLIC_URL must be an http:// or https:// URL, not {value!r}")
    if parts.query or parts.fragment:
        raise ConfigError(f"PUBLIC_URL must not have a query or fragment: {value!r}")
    return value.rstrip("/")


def secure_cookies(public: str) -> dict:
    """Cookies only over https when Aftercue is served over https (a dev's http keeps working)."""
    https = public.startswith("https://")
    return {"SESSION_COOKIE_SECURE": https, "REMEMBER_COOKIE_SECURE": https}


def protocols_dir(value: str | None) -> Path:
    """Return the protocols folder, checking a folder given explicitly exists."""
    if value is None:
        return REPO_DIR / "protocols"
    path = Path(value).resolve()
    if not path.is_dir():
        raise ConfigError(f"PROTOCOLS_DIR is not a folder: {value!r}")
    return path


def log_level(value: str) -> str:
    """Return `value` as a logging level name."""
    level = value.upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
    return level


def vapid_key(value: str | None, path: Path) -> str:
    """The VAPID private key as PEM: the given one (PEM or base64url), else the one kept at
    `path`, made on first use."""
    try:
        return vapid.to_pem(value or keep_once(path, vapid.new_pem))
    except vapid.VapidKeyError as error:
        raise ConfigError(str(error)) from None


def keep_once(path: Path, make: Callable[[], str]) -> str:
    """The text kept at `path`, made by `make()` and written there (owner-only) on first use.

    Written aside, then linked into place: the link fails if another worker got there first,
    so workers starting together agree on one value, and none reads a half-written file.
    """
    if not path.exists():
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(make())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text()


def vapid_subject(value: str | None, public: str | None) -> str:
    """A contact URL for push services; defaults to an address at the public host."""
    if value is None:
        host = urlsplit(public or "http://localhost").hostname or "localhost"
        return f"mailto:admin@{host}"
    if not (value.startswith("mailto:") or value.startswith("https://")):
        raise ConfigError(f"VAPID_SUBJECT must be a mailto: or https:// URL, not {value!r}")
    return value


def allowed_hosts(value: str | None) -> tuple[str, ...]:
    """Push-service host patterns; the defaults cover every major browser's service.

    A host, or `*.` and a name inside one registrable domain (`*.push.apple.com`, not `*.com`
    or `*.co.uk`): a pattern broader than one owner would let anyone who registers a name
    under it receive the server's requests.
    """
    if value is None:
        return DEFAULT_ALLOWED_HOSTS
    hosts = tuple(host.strip().lower() for host in value.split(",") if host.strip())
    if not hosts:
        raise ConfigError(f"PUSH_ALLOWED_HOSTS must name push services, not {value!r}")
    for host in hosts:
        name = host.removeprefix("*.")
        if any(c in name for c in "*?[]/: ") or _registrable(name) is None:
            raise ConfigError(
                f"PUSH_ALLOWED_HOSTS: {host!r} is not a host name or a *.pattern inside one "
                "registrable domain (such as *.push.apple.com)"
            )
    return hosts


def extra_origins(value: str | None, public: str, in_production: bool) -> tuple[str, ...]:
    """Origins of a staging or self-hosted push service, exempt from every other push check.

    They bypass the address blocklist by design (a staging service often sits on a private
    network), so a server on an https PUBLIC_URL, taken to be serving real clients, refuses
    them unless told otherwise: a leftover staging setting must not carry reminders away.
    """
    if value is None:
        return ()
    origins = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        parts = urlsplit(item)
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            parts = parts._replace(netloc="")
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
            or "@" in parts.netloc
        ):
            raise ConfigError(
                f"PUSH_EXTRA_ORIGINS: {item!r} is not an origin such as https://push.example:8443"
            )
        origins.append(f"{parts.scheme}://{parts.netloc}".lower())
    if origins and public.startswith("https://") and not in_production:
        raise ConfigError(
            "PUSH_EXTRA_ORIGINS is for staging and tests; with an https PUBLIC_URL it is "
            "refused unless PUSH_EXTRA_ORIGINS_IN_PRODUCTION=on"
        )
    return tuple(origins)


@cache
def _public_suffixes() -> PublicSuffixList:
    return PublicSuffixList()


def _registrable(name: str) -> str | None:
    """The registrable domain `name` belongs to (apple.com), None for a public suffix (co.uk)."""
    return _public_suffixes().privatesuffix(name)


def whole(name: str, value: str | None, default: int, most: int) -> int:
    """A whole number from 1 to `most`, or `default` when unset."""
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= most:
        raise ConfigError(f"{name} must be a whole number from 1 to {most}, not {value!r}")
    return int(value)


def grace_minutes(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 24 * 60:
        raise ConfigError(f"REMINDER_GRACE_MINUTES must be 1 to 1440, not {value!r}")
    return int(value)


def rate_limit_storage(value: str | None) -> str:
    """Flask-Limiter's storage: Redis when given, else this process's memory."""
    if value is None:
        return "memory://"
    if urlsplit(value).scheme not in ("redis", "rediss", "redis+unix"):
        raise ConfigError(f"REDIS_URL must be a redis:// or rediss:// URL, not {value!r}")
    return value


def mail(url: str | None, sender: str | None, public: str) -> dict | None:
    """The mail server from MAIL_URL and the sender; None when no email is to be sent."""
    if url is None:
        return None
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or port == -1:
        # Never the whole value in the message: it may hold a password.
        raise ConfigError("MAIL_URL must be smtp://[user:password@]host[:port] or smtps://…")
    sender = sender or f"Aftercue <no-reply@{urlsplit(public).hostname}>"
    if "@" not in parseaddr(sender)[1]:
        raise ConfigError(f"MAIL_FROM must be an address or Name <address>, not {sender!r}")
    return {
        "tls": parts.scheme == "smtps",
        "host": parts.hostname,
        "port": port or (465 if parts.scheme == "smtps" else 587),
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "sender": sender,
    }


def trusted_proxies(value: str) -> int:
    """How many proxies' X-Forwarded-* headers to believe (ProxyFix), 0 to believe none."""
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_TRUSTED_PROXIES:
        raise ConfigError(
            f"TRUSTED_PROXIES must be a whole number from 0 to {MAX_TRUSTED_PROXIES}: how many "
            f"proxies stand in front of Aftercue, not {value!r}"
        )
    return int(value)


def switch(name: str, value: str) -> bool:
    if value.lower() not in ("on", "off"):
        raise ConfigError(f"{name} must be on or off, not {value!r}")
    return value.lower() == "on"
