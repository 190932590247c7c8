"""One-time links that let a clinician choose a new password; only their hash is kept."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .clinic import Clinician
from .columns import UTCDateTime


class PasswordReset(db.Model):
    """A link issued by an admin (issued_by) or asked for by email (issued_by NULL)."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("clinicians.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("clinicians.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A newer link, a password changed otherwise, or deactivation: the link stops working.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    clinician: Mapped[Clinician] = relationship(foreign_keys=[clinician_id])

    def __repr__(self) -> str:
        return f"<PasswordReset {self.id} clinician={self.clinician_id}>"
