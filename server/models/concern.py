"""Concerns raised about a client, and the clinic's notes and calls that handle them."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .clinic import Clinician
from .columns import UTCDateTime


class ClientNote(db.Model):
    """An entry in a client's timeline: a call's outcome (which handles the concerns it names)
    or a plain note, by a clinician."""

    __tablename__ = "client_notes"
    __table_args__ = (Index("ix_client_notes_client", "client_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    clinician_id: Mapped[int | None] = mapped_column(
        ForeignKey("clinicians.id", ondelete="SET NULL")
    )
    outcome: Mapped[str] = mapped_column(String(16))  # domain/concerns.py OUTCOMES, or NOTE
    text: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    clinician: Mapped[Clinician | None] = relationship()


class Concern(db.Model):
    """One reason to call a client (domain/concerns.py), kept from when it was first seen.

    Its identity is (client, kind, subject): the occurrence missed, the schedule's problems,
    the silence's start. It is open until handled by a note, cleared (the fact no longer
    holds: a late tick arrived, the schedule was fixed) or expired.
    """

    __tablename__ = "concerns"
    __table_args__ = (
        UniqueConstraint("client_id", "kind", "subject", name="uq_concerns_subject"),
        Index("ix_concerns_open", "client_id", "handled_by_id", "cleared_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(400))  # as long as a plan's schedule_key
    occurrence_id: Mapped[str | None] = mapped_column(String(32))
    session_id: Mapped[int | None]  # no foreign key: a concern outlives a cancelled session
    day: Mapped[date | None] = mapped_column(Date)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("client_notes.id", ondelete="SET NULL")
    )

    handled_by: Mapped[ClientNote | None] = relationship()
