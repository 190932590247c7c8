"""Reminders carry their occurrences' task ids, so sending one reads no plan rows.

Revision ID: b3f1c2d4e5a6
Revises: a3f9c2d4e6b8
Create Date: 2026-11-29 15:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b3f1c2d4e5a6"
down_revision = "a3f9c2d4e6b8"
branch_labels = None
depends_on = None

reminders = sa.table(
    "reminders",
    sa.column("id", sa.Integer),
    sa.column("client_id", sa.Integer),
    sa.column("occurrence_ids", sa.JSON),
    sa.column("task_ids", sa.JSON),
)
occurrences = sa.table(
    "plan_occurrences",
    sa.column("client_id", sa.Integer),
    sa.column("occurrence_id", sa.String),
    sa.column("task_id", sa.String),
)


def upgrade():
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("task_ids", sa.JSON(), nullable=True))
    # Existing reminders (a sent one may be snoozed and sent again): from their plan rows.
    connection = op.get_bind()
    tasks = {
        (client_id, occurrence_id): task_id
        for client_id, occurrence_id, task_id in connection.execute(sa.select(occurrences))
    }
    for reminder_id, client_id, occurrence_ids in connection.execute(
        sa.select(reminders.c.id, reminders.c.client_id, reminders.c.occurrence_ids)
    ).all():
        task_ids = [tasks.get((client_id, o), "") for o in occurrence_ids]
        connection.execute(
            reminders.update().where(reminders.c.id == reminder_id).values(task_ids=task_ids)
        )
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.alter_column("task_ids", existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_column("task_ids")
