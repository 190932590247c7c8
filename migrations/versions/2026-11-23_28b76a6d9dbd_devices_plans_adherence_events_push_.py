"""Devices, protocol bundles, plans, adherence events, push subscriptions, audit.

Revision ID: 28b76a6d9dbd
Revises: 9edcdce1e284
Create Date: 2026-11-23 16:59:48.712415

"""

import sqlalchemy as sa
from alembic import op

revision = '28b76a6d9dbd'
down_revision = '9edcdce1e284'
branch_labels = None
depends_on = None

# server.models.UTCDateTime in the models: stored in UTC, read back as aware datetimes.
UTCDateTime = sa.DateTime(timezone=True)


def upgrade():
    op.create_table('protocol_bundles',
    sa.Column('version', sa.String(length=16), nullable=False),
    sa.Column('protocol_id', sa.String(length=64), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_at', UTCDateTime, nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_protocol_bundles'))
    )
    with op.batch_alter_table('protocol_bundles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_protocol_bundles_protocol_id'), ['protocol_id'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('clinician_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('at', UTCDateTime, nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_audit_entries_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['clinician_id'], ['clinicians.id'], name=op.f('fk_audit_entries_clinician_id_clinicians'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_clinic_at', ['clinic_id', 'at'], unique=False)

    op.create_table('devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('created_at', UTCDateTime, nullable=False),
    sa.Column('last_seen_at', UTCDateTime, nullable=True),
    sa.Column('revoked_at', UTCDateTime, nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_devices_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_devices_token_hash'))
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_client_id'), ['client_id'], unique=False)

    op.create_table('plan_occurrences',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_id', sa.String(length=32), nullable=False),
    sa.Column('task_id', sa.String(length=64), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('slot', sa.String(length=16), nullable=False),
    sa.Column('due_start', UTCDateTime, nullable=False),
    sa.Column('due_end', UTCDateTime, nullable=False),
    sa.Column('follows', sa.String(length=32), nullable=True),
    sa.Column('optional', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_plan_occurrences_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', 'occurrence_id', name=op.f('pk_plan_occurrences'))
    )
    with op.batch_alter_table('plan_occurrences', schema=None) as batch_op:
        batch_op.create_index('ix_plan_occurrences_due', ['client_id', 'active', 'due_end'], unique=False)

    op.create_table('plans',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=16), nullable=False),
    sa.Column('bundle_version', sa.String(length=16), nullable=False),
    sa.Column('built_at', UTCDateTime, nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['bundle_version'], ['protocol_bundles.version'], name=op.f('fk_plans_bundle_version_protocol_bundles')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_plans_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_plans'))
    )
    op.create_table('adherence_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('occurrence_id', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('device_at', UTCDateTime, nullable=False),
    sa.Column('device_utc_offset_minutes', sa.Integer(), nullable=False),
    sa.Column('received_at', UTCDateTime, nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("action IN ('done', 'undone')", name=op.f('ck_adherence_events_action')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_adherence_events_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_adherence_events_device_id_devices'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adherence_events')),
    sa.UniqueConstraint('client_id', 'event_id', name='uq_adherence_events_client_event'),
    sa.UniqueConstraint('client_id', 'seq', name='uq_adherence_events_client_seq')
    )
    op.create_table('push_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.Text(), nullable=False),
    sa.Column('p256dh', sa.String(length=200), nullable=False),
    sa.Column('auth', sa.String(length=100), nullable=False),
    sa.Column('created_at', UTCDateTime, nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_push_subscriptions_device_id_devices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscriptions')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscriptions_endpoint'))
    )
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_subscriptions_device_id'), ['device_id'], unique=False)

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_seq', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('device_timezone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('device_timezone_at', UTCDateTime, nullable=True))

    with op.batch_alter_table('clinicians', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('clinicians', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('device_timezone_at')
        batch_op.drop_column('device_timezone')
        batch_op.drop_column('event_seq')

    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_device_id'))

    op.drop_table('push_subscriptions')
    op.drop_table('adherence_events')
    op.drop_table('plans')
    with op.batch_alter_table('plan_occurrences', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_occurrences_due')

    op.drop_table('plan_occurrences')
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_devices_client_id'))

    op.drop_table('devices')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_clinic_at')

    op.drop_table('audit_entries')
    with op.batch_alter_table('protocol_bundles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_protocol_bundles_protocol_id'))

    op.drop_table('protocol_bundles')
