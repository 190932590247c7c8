"""Web Push: a device's subscriptions, the reminders planned for them, and the push services'
own requests to wait."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from ..extensions import db
from .client import Client
from .columns import UTCDateTime, utcnow
from .device import Device


class PushSubscription(db.Model):
    """A device's Web Push subscription."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(Text, unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    device: Mapped[Device] = relationship(back_populates="push_subscriptions")
    reminders: WriteOnlyMapped["Reminder"] = relationship(
        back_populates="subscription", passive_deletes=True
    )


class Reminder(db.Model):
    """One push notification for one slot of a client's day, to one subscription.

    The (subscription, key) pair is unique, so planning twice never makes two; the state is
    claimed before sending, so two workers never send the same row. A reminder outlives its
    subscription as history (sent, failed...): the subscription becomes NULL, and whoever
    removes a subscription removes its pending reminders (reminders/subscriptions.py).
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("subscription_id", "key", name="uq_reminders_subscription_key"),
        Index("ix_reminders_due", "state", "due_at"),
        CheckConstraint(
            "state IN ('pending', 'sending', 'sent', 'skipped', 'dropped', 'failed')", name="state"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="SET NULL")
    )
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))  # date|slot, the same on every device
    slot: Mapped[str] = mapped_column(String(16))
    occurrence_ids: Mapped[list[str]] = mapped_column(JSON)
    task_ids: Mapped[list[str]] = mapped_column(JSON)  # of each occurrence, in the same order
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snoozes: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(String(200))

    subscription: Mapped[PushSubscription | None] = relationship(back_populates="reminders")
    client: Mapped[Client] = relationship()


class PushServiceBackoff(db.Model):
    """A push service that asked everyone to wait (429, or 503 for the whole service), until
    when: every worker process honours it, and the next `send-due` from cron too."""

    __tablename__ = "push_service_backoffs"

    origin: Mapped[str] = mapped_column(String(300), primary_key=True)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(200))
