"""Migrations build exactly the schema the models describe, on every backend."""

from datetime import timedelta

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from server.extensions import db
from server.models import Clinic, PlanOccurrence
from server.phone.devices import issue_device
from tests.support.factories import days_from, new_client, with_plan


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


def test_stored_occurrences_get_their_session_day_and_first_phone(app, runner, now):
    """Existing occurrences are anchored as a rebuild would anchor them, and count as on the
    phone from its connection: corrections keep their ticks, adherence figures stay."""
    with app.app_context():
        client = new_client(
            clinic=Clinic(name="North", created_at=now),
            created_at=now,
            sessions=days_from(now, [-3]),
        )
        with_plan(client, app.extensions["protocols"], now)
        issue_device(client.id, "phone", now - timedelta(days=2))
        db.session.commit()
        anchored = select(
            PlanOccurrence.occurrence_id,
            PlanOccurrence.anchor_session_id,
            PlanOccurrence.anchor_day,
            PlanOccurrence.delivered_at,
        ).where(PlanOccurrence.client_id == client.id)
        expected = {tuple(row) for row in db.session.execute(anchored)}
    assert {row[3] for row in expected} == {now - timedelta(days=2)}
    assert all(row[1] is not None for row in expected)
    assert runner.invoke(args=["db", "downgrade", "c1e3a5b7d9f2"]).exit_code == 0
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        db.session.expire_all()
        assert {tuple(row) for row in db.session.execute(anchored)} == expected
