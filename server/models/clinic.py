"""A clinic and the people who sign in to its dashboard."""

from datetime import datetime
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship, validates

from ..extensions import db
from .columns import UTCDateTime, utcnow

if TYPE_CHECKING:  # resolved by name when the mappers are configured
    from .client import Client

password_hasher = PasswordHasher()


class Clinic(db.Model):
    """A clinic: the owner of clinicians, clients and their data."""

    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Where the clinic's own records are read: the audit log and every CSV's times. UTC until
    # an admin says otherwise (settings), so no clinic's times move without someone choosing.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # The dashboard's language for its clinicians who have not chosen one (server/languages.py).
    language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    # The number a client's phone offers as a tel: link when a check-in raises a red flag.
    phone: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clinicians: WriteOnlyMapped["Clinician"] = relationship(back_populates="clinic")
    clients: WriteOnlyMapped["Client"] = relationship(back_populates="clinic")

    def __repr__(self) -> str:
        return f"<Clinic {self.id} {self.name!r}>"


class Clinician(UserMixin, db.Model):
    """A person who signs in to a clinic's dashboard."""

    __tablename__ = "clinicians"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'clinician')", name="role"),
        # Unique within a clinic only: whether an email has an account at another clinic is
        # none of this clinic's business (an admin's invite must not find it out). Accounts
        # sharing an email never share a password (auth.py), so sign-in finds one.
        UniqueConstraint("clinic_id", "email", name="uq_clinicians_clinic_id_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="clinician")
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie's user id: bumping it signs the clinician out everywhere.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    # A temporary password (an invite's) works once to sign in: then only the form that
    # replaces it opens, on the dashboard and the API alike.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Their own dashboard language; None follows the clinic's.
    language: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clinic: Mapped[Clinic] = relationship(back_populates="clinicians")

    @validates("email")
    def normalise_email(self, _key: str, email: str) -> str:
        # Stored lower-case so the unique constraint and sign-in ignore case.
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        """Store an argon2 hash of `password`."""
        self.password_hash = password_hasher.hash(password)

    def check_password(self, password: str) -> bool:
        """Tell whether `password` matches the stored hash."""
        if self.password_hash is None:
            return False
        try:
            return password_hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The user id kept in the session: stale once session_epoch moves on."""
        return f"{self.id}:{self.session_epoch}"

    def __repr__(self) -> str:
        return f"<Clinician {self.id} {self.email}>"
