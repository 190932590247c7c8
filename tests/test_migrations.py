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


def test_a_clinic_s_zone_starts_as_its_clients_most_common_one(app, runner):
    assert runner.invoke(args=["db", "downgrade", "f7a9b1c3d5e7"]).exit_code == 0
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO clinics (id, name, created_at) VALUES "
                "(1, 'Two in Paris', '2026-01-01 00:00:00'), (2, 'Empty', '2026-01-01 00:00:00')"
            )
        )
        for number, zone in enumerate(["Europe/Paris", "Europe/London", "Europe/Paris"]):
            connection.execute(
                sa.text(
                    "INSERT INTO clients (clinic_id, name, timezone, protocol_id, answers, "
                    "wake_time, bed_time, created_at) VALUES (1, :name, :zone, 'p', '{}', "
                    "'07:00:00', '23:00:00', '2026-01-01 00:00:00')"
                ),
                {"name": f"Client {number}", "zone": zone},
            )
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context(), db.engine.connect() as connection:
        zones = connection.execute(sa.text("SELECT id, timezone FROM clinics ORDER BY id")).all()
    assert [tuple(row) for row in zones] == [(1, "Europe/Paris"), (2, "UTC")]
