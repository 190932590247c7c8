"""Check-in answers phones send: stored once per client and id, with the red flags they raised."""

from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import UTCDateTime


class CheckinAnswer(db.Model):
    """One answered check-in, as the client gave it; never edited (a new one follows)."""

    __tablename__ = "checkin_answers"
    __table_args__ = (
        UniqueConstraint("client_id", "checkin_id", name="uq_checkin_answers_client_checkin"),
        # The call list looks for each clinic's unhandled red flags by time.
        Index("ix_checkin_answers_flagged", "flagged", "device_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    checkin_id: Mapped[UUID] = mapped_column(Uuid)  # made on the phone: a resend is the same
    occurrence_id: Mapped[str] = mapped_column(String(32))
    day: Mapped[int]  # after the latest session: day 1 is the day it ended
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The red flags these answers raise (domain/checkins.py), decided here as on the phone.
    red_flags: Mapped[list[str]] = mapped_column(JSON)
    flagged: Mapped[bool] = mapped_column(default=False)
    device_at: Mapped[datetime] = mapped_column(UTCDateTime)
    device_utc_offset_minutes: Mapped[int]
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"))

    @property
    def device_time(self) -> datetime:
        offset = timezone(timedelta(minutes=self.device_utc_offset_minutes))
        return self.device_at.astimezone(offset)
