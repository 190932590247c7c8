"""A client's photos of the treated area: what the clinic knows of each, and its bytes."""

from datetime import datetime, timedelta, timezone
from uuid import UUID

from sqlalchemy import ForeignKey, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import UTCDateTime


class Photo(db.Model):
    """One photo a client's phone sent, stored once per id the phone made."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made on the phone; unique across clients, so an upload sent again finds its first copy.
    photo_id: Mapped[UUID] = mapped_column(Uuid, unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    # The check-in answer it was taken for, as the phone named it; None: a photo on its own.
    check_in_id: Mapped[str | None] = mapped_column(String(36))
    # When the phone says it was taken, with the phone's UTC offset (like a tick's time).
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    taken_utc_offset_minutes: Mapped[int]
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The client's latest session begun before it was taken, and the day after it (day 1: the
    # day it ends, in the client's zone), as they were at upload; None: before any session.
    # The clinic's timeline counts again from the sessions as they are (one may be moved).
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment_sessions.id", ondelete="SET NULL")
    )
    day_after_session: Mapped[int | None]
    # SHA-256 of the bytes as sent: the same id sent again with other bytes is a conflict.
    upload_sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    byte_size: Mapped[int]

    @property
    def taken_time(self) -> datetime:
        """When the phone said it was taken, in the UTC offset it gave."""
        offset = timezone(timedelta(minutes=self.taken_utc_offset_minutes))
        return self.taken_at.astimezone(offset)


class PhotoBlob(db.Model):
    """The stored bytes of a photo, for the database storage (photos/storage.py)."""

    __tablename__ = "photo_blobs"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
