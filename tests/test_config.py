"""Settings from the environment: defaults, normalisation, and failing fast."""

import stat
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa

from server import config, create_app
from server.config import ConfigError
from server.extensions import db


def test_defaults(tmp_path):
    settings = config.from_env(tmp_path, {})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'aftercue.sqlite3'}"
    assert settings["PUBLIC_URL"] == "http://127.0.0.1:5000"
    assert settings["PROTOCOLS_DIR"] == Path(config.__file__).parent.parent / "protocols"
    assert settings["LOG_LEVEL"] == "INFO"
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"
    assert settings["TRUSTED_PROXIES"] == 0
    assert settings["RATELIMIT_ENABLED"] is True
    assert (settings["RESET_LINK_HOURS"], settings["FORGOT_LINK_MINUTES"]) == (48, 60)
    assert settings["SESSION_COOKIE_SECURE"] is settings["REMEMBER_COOKIE_SECURE"] is False


def test_every_variable_is_documented(tmp_path):
    environ = {
        "SECRET_KEY": "k" * 32,
        "DATABASE_URL": "sqlite:///x.sqlite3",
        "PUBLIC_URL": "https://example.com",
        "PROTOCOLS_DIR": str(tmp_path),
        "PROTOCOLS_RECHECK_SECONDS": "30",
        "LOG_LEVEL": "debug",
        "VAPID_PRIVATE_KEY": RAW_VAPID_KEY,
        "VAPID_SUBJECT": "mailto:ops@example.com",
        "PUSH_ALLOWED_HOSTS": "fcm.googleapis.com, *.push.apple.com",
        "PUSH_EXTRA_ORIGINS": "https://push.staging.example:8443",
        "PUSH_EXTRA_ORIGINS_IN_PRODUCTION": "on",
        "REMINDER_GRACE_MINUTES": "45",
        "REDIS_URL": "redis://cache.internal:6379/0",
        "TRUSTED_PROXIES": "2",
        "RATE_LIMITS": "OFF",
        "PSEUDO_LOCALE": "on",
        "SESSION_IDLE_MINUTES": "15",
        "SESSION_MAX_HOURS": "8",
        "SESSION_DAYS_BACK": "90",
        "SESSION_DAYS_AHEAD": "400",
        "COURSE_MAX_DAYS": "500",
        "MAIL_URL": "smtp://desk%40clinic.example:p%3Ass@mail.example",
        "MAIL_FROM": "North Clinic <desk@clinic.example>",
        "RESET_LINK_HOURS": "24",
        "FORGOT_LINK_MINUTES": "30",
    }
    assert set(environ) == set(config.VARIABLES)
    settings = config.from_env(tmp_path, environ)
    assert settings["SECRET_KEY"] == "k" * 32
    assert settings["PROTOCOLS_DIR"] == tmp_path
    assert settings["PROTOCOLS_RECHECK_SECONDS"] == 30
    assert settings["LOG_LEVEL"] == "DEBUG"
    assert settings["VAPID_PRIVATE_KEY"].startswith("-----BEGIN PRIVATE KEY-----")
    assert settings["VAPID_SUBJECT"] == "mailto:ops@example.com"
    assert settings["PUSH_ALLOWED_HOSTS"] == ("fcm.googleapis.com", "*.push.apple.com")
    assert settings["PUSH_EXTRA_ORIGINS"] == ("https://push.staging.example:8443",)
    assert settings["REMINDER_GRACE_MINUTES"] == 45
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"
    assert settings["TRUSTED_PROXIES"] == 2
    assert settings["RATELIMIT_ENABLED"] is False
    assert settings["PSEUDO_LOCALE"] is True
    assert (settings["SESSION_IDLE_MINUTES"], settings["SESSION_MAX_HOURS"]) == (15, 8)
    limits = ("SESSION_DAYS_BACK", "SESSION_DAYS_AHEAD", "COURSE_MAX_DAYS")
    assert [settings[name] for name in limits] == [90, 400, 500]
    assert settings["PERMANENT_SESSION_LIFETIME"].total_seconds() == 8 * 3600
    assert (settings["RESET_LINK_HOURS"], settings["FORGOT_LINK_MINUTES"]) == (24, 30)
    assert settings["MAIL"] == {
        "tls": False,
        "host": "mail.example",
        "port": 587,
        "user": "desk@clinic.example",
        "password": "p:ss",
        "sender": "North Clinic <desk@clinic.example>",
    }
    # Served over https, so the clinic's cookies are sent over https only.
    assert settings["SESSION_COOKIE_SECURE"] is settings["REMEMBER_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "postgres://u:p@db.example:5432/aftercue",
            "postgresql+psycopg://u:p@db.example:5432/aftercue",
        ),
        ("postgresql://u@localhost/aftercue", "postgresql+psycopg://u@localhost/aftercue"),
        ("postgresql+psycopg://u@localhost/aftercue", "postgresql+psycopg://u@localhost/aftercue"),
        ("sqlite:////var/lib/aftercue.sqlite3", "sqlite:////var/lib/aftercue.sqlite3"),
    ],
)
def test_database_url_is_normalised(tmp_path, given, expected):
    settings = config.from_env(tmp_path, {"DATABASE_URL": given})
    assert settings["SQLALCHEMY_DATABASE_URI"] == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "short"),
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "mysql://u@localhost/aftercue"),
        ("DATABASE_URL", "postgresql+psycopg2://u@localhost/aftercue"),
        ("PUBLIC_URL", "aftercue.example"),
        ("PUBLIC_URL", "ftp://aftercue.example"),
        ("PUBLIC_URL", "https://aftercue.example/?x=1"),
        ("PROTOCOLS_DIR", "/nonexistent/protocols"),
        ("LOG_LEVEL", "LOUD"),
        ("REDIS_URL", "http://cache.internal:6379"),
        ("TRUSTED_PROXIES", "yes"),
        ("TRUSTED_PROXIES", "-1"),
        ("TRUSTED_PROXIES", "99"),
        ("RATE_LIMITS", "false"),
        ("SESSION_IDLE_MINUTES", "0"),
        ("SESSION_IDLE_MINUTES", "half an hour"),
        ("SESSION_MAX_HOURS", "169"),
        ("RESET_LINK_HOURS", "0"),
        ("RESET_LINK_HOURS", "169"),
        ("FORGOT_LINK_MINUTES", "1441"),
    ],
)
def test_bad_value_fails_fast(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        config.from_env(tmp_path, {name: value})


def test_public_url_loses_trailing_slash(tmp_path):
    settings = config.from_env(tmp_path, {"PUBLIC_URL": "https://aftercue.example/clinic/"})
    assert settings["PUBLIC_URL"] == "https://aftercue.example/clinic"


def test_empty_variable_counts_as_unset(tmp_path):
    settings = config.from_env(tmp_path, {"LOG_LEVEL": "", "PUBLIC_URL": ""})
    assert settings["LOG_LEVEL"] == "INFO"
    assert settings["PUBLIC_URL"] == "http://127.0.0.1:5000"


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = config.from_env(tmp_path, {})["SECRET_KEY"]
    second = config.from_env(tmp_path, {})["SECRET_KEY"]
    assert first == second
    assert len(first) >= config.MIN_SECRET_KEY_LENGTH
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_corrupt_secret_key_file_fails_fast(tmp_path):
    (tmp_path / "secret_key").write_text("\n")
    with pytest.raises(ConfigError, match="secret_key"):
        config.from_env(tmp_path, {})


def test_mail_is_off_unless_a_mail_server_is_named(tmp_path):
    assert config.from_env(tmp_path, {"SECRET_KEY": "k" * 32})["MAIL"] is None
    settings = config.from_env(
        tmp_path,
        {
            "SECRET_KEY": "k" * 32,
            "MAIL_URL": "smtps://relay.example",
            "PUBLIC_URL": "https://a.example",
        },
    )
    assert settings["MAIL"]["tls"] is True and settings["MAIL"]["port"] == 465
    assert settings["MAIL"]["sender"] == "Aftercue <no-reply@a.example>"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"MAIL_URL": "http://u:secret@mail.example"}, "MAIL_URL must be smtp://"),
        ({"MAIL_URL": "smtp://u:secret@mail.example:99999"}, "MAIL_URL must be smtp://"),
        ({"MAIL_URL": "smtp://"}, "MAIL_URL must be smtp://"),
        ({"MAIL_URL": "smtp://mail.example", "MAIL_FROM": "nobody"}, "MAIL_FROM must be"),
    ],
)
def test_a_bad_mail_setting_stops_the_app_without_showing_the_password(
    tmp_path, variables, message
):
    with pytest.raises(ConfigError, match=message) as refused:
        config.from_env(tmp_path, {"SECRET_KEY": "k" * 32, **variables})
    assert "secret" not in str(refused.value)


def test_readme_lists_every_variable():
    readme = (config.REPO_DIR / "README.md").read_text()
    for name, (default, meaning) in config.VARIABLES.items():
        assert f"| `{name}` | {default} | {meaning} |" in readme


# A P-256 private number in the base64url form web-push tools print.
RAW_VAPID_KEY = "IQ9Ur0ykXoHS9gzfYX0aBjy9lvdrjx_PFUXmie9YRcY"


def test_a_vapid_key_is_made_once_and_kept(tmp_path):
    first = config.from_env(tmp_path, {"SECRET_KEY": "k" * 32})["VAPID_PRIVATE_KEY"]
    again = config.from_env(tmp_path, {"SECRET_KEY": "k" * 32})["VAPID_PRIVATE_KEY"]
    assert first == again and (tmp_path / "vapid_private.pem").stat().st_mode & 0o077 == 0
    assert (
        config.from_env(tmp_path, {"SECRET_KEY": "k" * 32})["VAPID_SUBJECT"]
        == "mailto:admin@127.0.0.1"
    )


def test_a_given_vapid_key_is_the_same_in_pem_and_raw_form(tmp_path):
    from server.reminders import vapid

    pem = vapid.to_pem(RAW_VAPID_KEY)
    assert vapid.to_pem(pem) == pem
    assert vapid.application_server_key(pem) == vapid.application_server_key(vapid.to_pem(pem))
    assert len(vapid.application_server_key(pem)) == 87  # 65 bytes, base64url


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("VAPID_PRIVATE_KEY", "not-a-key!", "P-256"),
        ("VAPID_SUBJECT", "ops@example.com", "mailto:"),
        ("PUSH_ALLOWED_HOSTS", "https://fcm.googleapis.com", "not a host name"),
        ("PUSH_ALLOWED_HOSTS", "*", "not a host name"),
        # Broader than one registrable domain: anyone could register a name under these.
        ("PUSH_ALLOWED_HOSTS", "*.com", "inside one registrable domain"),
        ("PUSH_ALLOWED_HOSTS", "fcm.googleapis.com, *.co.uk", "inside one registrable domain"),
        ("PUSH_ALLOWED_HOSTS", "*.googleapis.com", "inside one registrable domain"),
        ("PUSH_ALLOWED_HOSTS", "push.*.apple.com", "not a host name"),
        ("PUSH_ALLOWED_HOSTS", " , ", "push services"),
        ("PUSH_EXTRA_ORIGINS", "push.staging.example", "not an origin"),
        ("PUSH_EXTRA_ORIGINS", "https://push.staging.example/wpush", "not an origin"),
        ("PUSH_EXTRA_ORIGINS", "ftp://push.staging.example", "not an origin"),
        ("PUSH_EXTRA_ORIGINS", "https://push.staging.example:port", "not an origin"),
        ("PUSH_EXTRA_ORIGINS", "https://ops@push.staging.example", "not an origin"),
        ("PUSH_EXTRA_ORIGINS_IN_PRODUCTION", "yes", "on or off"),
        ("REMINDER_GRACE_MINUTES", "0", "1 to 1440"),
        ("COURSE_MAX_DAYS", "0", "1 to 3650"),
        ("SESSION_DAYS_AHEAD", "two years", "1 to 3650"),
        ("REMINDER_GRACE_MINUTES", "soon", "1 to 1440"),
    ],
)
def test_bad_push_settings_fail_fast(tmp_path, name, value, message):
    with pytest.raises(config.ConfigError, match=message):
        config.from_env(tmp_path, {"SECRET_KEY": "k" * 32, name: value})


def test_a_pattern_inside_one_registrable_domain_is_accepted(tmp_path):
    hosts = "*.push.apple.com, *.apple.com, push.staging.internal"
    settings = config.from_env(tmp_path, {"SECRET_KEY": "k" * 32, "PUSH_ALLOWED_HOSTS": hosts})
    assert settings["PUSH_ALLOWED_HOSTS"] == (
        "*.push.apple.com",
        "*.apple.com",
        "push.staging.internal",
    )


def test_an_extra_push_origin_is_allowed_as_written_off_production(tmp_path):
    from server.reminders.endpoints import Policy, check

    settings = config.from_env(
        tmp_path,
        {
            "SECRET_KEY": "k" * 32,
            "PUSH_EXTRA_ORIGINS": "http://10.0.0.5:8080, https://Push.Staging.example/",
        },
    )
    assert settings["PUSH_EXTRA_ORIGINS"] == (
        "http://10.0.0.5:8080",
        "https://push.staging.example",
    )
    policy = Policy.of(settings)
    assert check("http://10.0.0.5:8080/wpush/abc", policy) == "http://10.0.0.5:8080"
    # Only that origin: another port of the same private host is still refused.
    with pytest.raises(ValueError, match="https"):
        check("http://10.0.0.5:8081/wpush/abc", policy)


def test_an_extra_push_origin_is_refused_in_production_unless_enabled(tmp_path):
    production = {
        "SECRET_KEY": "k" * 32,
        "PUBLIC_URL": "https://aftercare.example",
        "PUSH_EXTRA_ORIGINS": "https://push.staging.example",
    }
    with pytest.raises(config.ConfigError, match="PUSH_EXTRA_ORIGINS_IN_PRODUCTION=on"):
        config.from_env(tmp_path, production)
    enabled = {**production, "PUSH_EXTRA_ORIGINS_IN_PRODUCTION": "on"}
    assert config.from_env(tmp_path, enabled)["PUSH_EXTRA_ORIGINS"] == (
        "https://push.staging.example",
    )
    assert (
        config.from_env(tmp_path, {**production, "PUSH_EXTRA_ORIGINS": ""})["PUSH_EXTRA_ORIGINS"]
        == ()
    )


def test_keygen_prints_a_key_the_config_accepts(tmp_path, monkeypatch):
    from server import create_app
    from server.reminders import vapid

    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    output = app.test_cli_runner().invoke(args=["reminders", "keygen"]).output
    line, comment = output.splitlines()
    raw = line.removeprefix("VAPID_PRIVATE_KEY=")
    settings = config.from_env(tmp_path, {"SECRET_KEY": "k" * 32, "VAPID_PRIVATE_KEY": raw})
    assert comment.endswith(vapid.application_server_key(settings["VAPID_PRIVATE_KEY"]))


def test_a_new_sqlite_database_is_readable_by_its_owner_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-0123456789abcdef")
    database = tmp_path / "new.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:  # open: the -wal and -shm files exist now
            connection.execute(sa.text("SELECT 1"))
            files = [
                database,
                *(database.with_name(database.name + end) for end in ("-wal", "-shm")),
            ]
            assert {path.name: path.stat().st_mode & 0o777 for path in files} == {
                path.name: 0o600 for path in files
            }
        db.engine.dispose()
