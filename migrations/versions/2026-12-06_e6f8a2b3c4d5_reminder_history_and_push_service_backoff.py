"""Reminders outlive their subscription as history; push services' requests to wait are stored.

Revision ID: e6f8a2b3c4d5
Revises: d5e7f9a1b2c4
Create Date: 2026-12-06 04:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e6f8a2b3c4d5"
down_revision = "d5e7f9a1b2c4"
branch_labels = None
depends_on = None

FK = "fk_reminders_subscription_id_push_subscriptions"


def upgrade():
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.alter_column("subscription_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.create_foreign_key(
            FK, "push_subscriptions", ["subscription_id"], ["id"], ondelete="SET NULL"
        )
    op.create_table(
        "push_service_backoffs",
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("origin", name=op.f("pk_push_service_backoffs")),
    )


def downgrade():
    op.drop_table("push_service_backoffs")
    # History without a subscription cannot go back under the old rule: it is deleted.
    op.execute("DELETE FROM reminders WHERE subscription_id IS NULL")
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.create_foreign_key(
            FK, "push_subscriptions", ["subscription_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.alter_column("subscription_id", existing_type=sa.Integer(), nullable=False)
