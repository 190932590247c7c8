"""How a client's phone gets in: one-time enrollment codes, then a device of its own."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from ..extensions import db
from .client import Client
from .columns import UTCDateTime, utcnow

if TYPE_CHECKING:  # resolved by name when the mappers are configured
    from .clinic import Clinician
    from .push import PushSubscription


class EnrollmentCode(db.Model):
    """A one-time code that links a client's device to their record; only its hash is kept."""

    __tablename__ = "enrollment_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who issued it (NULL: the demo, or a clinician since removed), and when the clinic
    # cancelled it unused: a newer link, a revoked phone, or the cancel button.
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("clinicians.id", ondelete="SET NULL")
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship(back_populates="enrollment_codes")
    issued_by: Mapped["Clinician | None"] = relationship()

    def __repr__(self) -> str:
        return f"<EnrollmentCode {self.id} client={self.client_id}>"


class Device(db.Model):
    """A client's phone (or other browser), signed in with a token of its own."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship(back_populates="devices")
    push_subscriptions: WriteOnlyMapped["PushSubscription"] = relationship(
        back_populates="device", cascade="all, delete-orphan", passive_deletes=True
    )
