"""Flask extensions, created unbound and attached to the app by `init_app`."""

import os
from contextlib import suppress
from pathlib import Path

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class Base(DeclarativeBase):
    """Declarative base whose constraint names are predictable, so migrations can name them."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


# A failed statement's parameters (events, names, answers, token hashes) stay out of its error
# message, and so out of the logs when a request fails. Objects keep their values after a
# commit: a view commits, then dumps or renders what it loaded, without reading each object
# again (the session ends with the request, so nothing is kept stale beyond it).
db = SQLAlchemy(
    model_class=Base,
    engine_options={"hide_parameters": True},
    session_options={"expire_on_commit": False},
)
migrate = Migrate(directory=str(MIGRATIONS_DIR))
csrf = CSRFProtect()
login_manager = LoginManager()
# Storage comes from RATELIMIT_STORAGE_URI (config.py: Redis when REDIS_URL is set); only the
# routes that ask for a limit have one.
limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def init_app(app: Flask) -> None:
    """Bind the extensions to `app`."""
    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                owner_only(engine.url.database)
                event.listen(engine, "connect", set_sqlite_pragmas)


def owner_only(database: str | None) -> None:
    """Create a new SQLite file readable by its owner alone (its -wal and -shm files take the
    same mode): it holds every client's health data."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    with suppress(FileExistsError):
        os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def set_sqlite_pragmas(dbapi_connection, _connection_record) -> None:
    """Make a new SQLite connection concurrent, durable and strict about foreign keys."""
    # The driver opens a transaction just before the first write; make that BEGIN IMMEDIATE so
    # the write lock is taken (waiting up to busy_timeout) before the transaction reads
    # anything, instead of failing at once when a deferred reader tries to become a writer.
    dbapi_connection.isolation_level = "IMMEDIATE"
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while one writer commits.
    cursor.execute("PRAGMA journal_mode=WAL")
    # Wait for a busy writer rather than failing with "database is locked": long enough for a
    # queue of syncs on a saturated machine (5 s was seen to run out), well inside gunicorn's
    # 30 s worker timeout.
    cursor.execute("PRAGMA busy_timeout=15000")
    # SQLite ignores foreign keys, ON DELETE CASCADE included, unless asked per connection.
    cursor.execute("PRAGMA foreign_keys=ON")
    # An acknowledged write (a client's logged aftercare step) must survive kill -9 and a power
    # cut alike; FULL fsyncs the WAL on every commit, where NORMAL may lose the last commits.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
