"""Plans say whether a session is booked sooner than the protocol allows.

Revision ID: 5d1c0e7a9b42
Revises: e75f32b5b091
Create Date: 2026-11-23 18:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5d1c0e7a9b42"
down_revision = "e75f32b5b091"
branch_labels = None
depends_on = None

plans = sa.table(
    "plans",
    sa.column("client_id", sa.Integer),
    sa.column("content", sa.JSON),
    sa.column("spacing_too_short", sa.Boolean),
)


def upgrade():
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("spacing_too_short", sa.Boolean(), server_default="0", nullable=False)
        )
    # Existing plans: the same warning as the plan itself holds.
    connection = op.get_bind()
    flagged = [
        client_id
        for client_id, content in connection.execute(sa.select(plans.c.client_id, plans.c.content))
        if any(w.get("code") == "spacing_too_short" for w in (content or {}).get("warnings", []))
    ]
    if flagged:
        connection.execute(
            plans.update().where(plans.c.client_id.in_(flagged)).values(spacing_too_short=True)
        )


def downgrade():
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("spacing_too_short")
