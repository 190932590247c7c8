"""Reminders, and clients' reminder preferences.

Revision ID: e75f32b5b091
Revises: 28b76a6d9dbd
Create Date: 2026-11-23 17:48:57

"""

import sqlalchemy as sa
from alembic import op

revision = "e75f32b5b091"
down_revision = "28b76a6d9dbd"
branch_labels = None
depends_on = None

# server.models.UTCDateTime in the models: stored in UTC, read back as aware datetimes.
UTCDateTime = sa.DateTime(timezone=True)


def upgrade():
    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('slot', sa.String(length=16), nullable=False),
    sa.Column('occurrence_ids', sa.JSON(), nullable=False),
    sa.Column('due_at', UTCDateTime, nullable=False),
    sa.Column('expires_at', UTCDateTime, nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', UTCDateTime, nullable=True),
    sa.Column('claimed_at', UTCDateTime, nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('sent_at', UTCDateTime, nullable=True),
    sa.Column('snoozes', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'sending', 'sent', 'skipped', 'dropped', 'failed')", name=op.f('ck_reminders_state')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_reminders_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['push_subscriptions.id'], name=op.f('fk_reminders_subscription_id_push_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('subscription_id', 'key', name='uq_reminders_subscription_key')
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_reminders_due', ['state', 'due_at'], unique=False)

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminders_enabled', sa.Boolean(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('reminders_discreet', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('quiet_start', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('quiet_end', sa.Time(), nullable=True))



def downgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('quiet_end')
        batch_op.drop_column('quiet_start')
        batch_op.drop_column('reminders_discreet')
        batch_op.drop_column('reminders_enabled')

    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_reminders_due')
        batch_op.drop_index(batch_op.f('ix_reminders_client_id'))

    op.drop_table('reminders')
