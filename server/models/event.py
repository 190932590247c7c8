"""The append-only log of ticks and unticks that phones send."""

from datetime import datetime, timedelta, timezone
from uuid import UUID

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, Uuid, and_, select
from sqlalchemy.orm import Mapped, column_property, mapped_column

from ..extensions import db
from .columns import UTCDateTime
from .plan import PlanOccurrence


class AdherenceEvent(db.Model):
    """A tick or untick from a device: append-only, stored once per client and event id."""

    __tablename__ = "adherence_events"
    __table_args__ = (
        UniqueConstraint("client_id", "event_id", name="uq_adherence_events_client_event"),
        UniqueConstraint("client_id", "seq", name="uq_adherence_events_client_seq"),
        CheckConstraint("action IN ('done', 'undone')", name="action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    # The pull cursor: per client, gap-free, given out in commit order under the client's lock.
    seq: Mapped[int]
    event_id: Mapped[UUID] = mapped_column(Uuid)
    occurrence_id: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(8))
    # What the device said, to the minute of its UTC offset; never trusted for ordering alone.
    device_at: Mapped[datetime] = mapped_column(UTCDateTime)
    device_utc_offset_minutes: Mapped[int]
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))

    @property
    def device_time(self) -> datetime:
        """When the device said the tick happened, in the UTC offset it gave."""
        offset = timezone(timedelta(minutes=self.device_utc_offset_minutes))
        return self.device_at.astimezone(offset)


# The task an event is about, for the clinic's log: loaded only when a query asks for it
# (undefer), as one subquery on the occurrences' primary key.
AdherenceEvent.task_id = column_property(
    select(PlanOccurrence.task_id)
    .where(
        and_(
            PlanOccurrence.client_id == AdherenceEvent.client_id,
            PlanOccurrence.occurrence_id == AdherenceEvent.occurrence_id,
        )
    )
    .scalar_subquery(),
    deferred=True,
)
