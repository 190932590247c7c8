"""The audit trail of a clinic."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import UTCDateTime


class AuditEntry(db.Model):
    """Who did or saw what, when: read by the clinic's admins."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_clinic_at", "clinic_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    clinician_id: Mapped[int | None] = mapped_column(
        ForeignKey("clinicians.id", ondelete="SET NULL")
    )
    # No foreign key: the record of a deleted client's history must outlive the client.
    client_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
