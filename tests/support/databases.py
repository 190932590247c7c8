"""Empty databases at the newest migration, made cheaply for each test.

Running every migration for every test cost most of a short test's time. SQLite: one
migrated file per session, copied for each test. PostgreSQL: the test database is emptied with
TRUNCATE when it is already at the newest migration, and dropped and migrated again only when
it is not (a migration test left it elsewhere, or a new migration came in).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from server import create_app
from server.extensions import MIGRATIONS_DIR, db


def migrated_sqlite(path: Path) -> Path:
    """A SQLite file at the newest migration, to copy (SECRET_KEY must be in the environment,
    or a key file would be written into instance/)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()  # the last connection to close checkpoints the WAL into the file
    return path


def sqlite_copy(template: Path, path: Path) -> str:
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def emptied_postgresql(engine: sa.Engine) -> str:
    """The PostgreSQL test database with every table empty, or no tables when not at head."""
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    with engine.begin() as connection:
        migrated = connection.scalar(sa.text("SELECT to_regclass('public.alembic_version')"))
        version = migrated and connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
        if version == head:
            tables = sa.inspect(connection).get_table_names()
            names = ", ".join(f'"{name}"' for name in tables if name != "alembic_version")
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    return engine.url.render_as_string(hide_password=False)
