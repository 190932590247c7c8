"""Migrations build exactly the schema the models describe, on every backend."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.extensions import db


def test_downgrade_then_upgrade_then_check(app, runner):
    for args in (["db", "downgrade", "base"], ["db", "upgrade"], ["db", "check"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (args, result.output)


def test_models_match_migrations(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_downgrade_removes_every_table(app, runner):
    assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
    with app.app_context():
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
