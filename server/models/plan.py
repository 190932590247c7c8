"""A client's plan as served, the protocol bundles plans were built from, and occurrences."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .client import Client
from .columns import UTCDateTime, utcnow


class ProtocolBundle(db.Model):
    """Every protocol bundle a plan was ever built from, so old plans keep their texts."""

    __tablename__ = "protocol_bundles"

    version: Mapped[str] = mapped_column(String(16), primary_key=True)
    protocol_id: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Plan(db.Model):
    """A client's current plan as served to the app; its version is a hash of the content."""

    __tablename__ = "plans"

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[str] = mapped_column(String(16))
    bundle_version: Mapped[str] = mapped_column(ForeignKey("protocol_bundles.version"))
    built_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    # A copy of one warning in `content`, so the dashboard can filter and sort by it in SQL.
    spacing_too_short: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The schedule's problems (overlapping or too close sessions) as one key: a concern the
    # clinic handled stays handled until the problems change (clinic/concerns.py).
    schedule_key: Mapped[str | None] = mapped_column(String(400))

    client: Mapped[Client] = relationship(back_populates="plan")


class PlanOccurrence(db.Model):
    """One task occurrence a client was ever given; kept (inactive) when a rebuild drops it."""

    __tablename__ = "plan_occurrences"
    __table_args__ = (Index("ix_plan_occurrences_due", "client_id", "active", "due_end"),)

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(64))
    local_date: Mapped[date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(16))
    due_start: Mapped[datetime] = mapped_column(UTCDateTime)
    due_end: Mapped[datetime] = mapped_column(UTCDateTime)
    follows: Mapped[str | None] = mapped_column(String(32))
    optional: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # What the occurrence is to the client, "day 2 after that session" (domain/identity.py):
    # a rebuild after a session is moved gives the same id to the same task, day and slot.
    anchor_session_id: Mapped[int | None]
    anchor_day: Mapped[int | None]
    # When a phone first fetched a plan holding the occurrence at its present times: it can
    # only be missed if that was before it fell due (clinic/adherence.py).
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
