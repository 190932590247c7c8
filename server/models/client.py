"""A clinic's client and their treatment sessions."""

from datetime import datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, Time, event, text
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship, validates

from ..domain.search import name_text, phone_digits
from ..extensions import db
from .clinic import Clinic
from .columns import UTCDateTime, utcnow

if TYPE_CHECKING:  # resolved by name when the mappers are configured
    from .device import Device, EnrollmentCode
    from .plan import Plan


class Client(db.Model):
    """A person in aftercare, following one protocol in their own time zone."""

    __tablename__ = "clients"
    # The dashboard counts the clinic's open deletion requests on every list page: a partial
    # index holds only those clients, so the count does not read the whole clinic.
    __table_args__ = (
        Index(
            "ix_clients_deletion_requested",
            "clinic_id",
            sqlite_where=text("deletion_requested_at IS NOT NULL"),
            postgresql_where=text("deletion_requested_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(64))
    protocol_id: Mapped[str] = mapped_column(String(64))
    # The language of the client's texts, one their protocol offers; None: the protocol's own.
    language: Mapped[str | None] = mapped_column(String(16))
    # Assign a new dict to change answers: in-place edits of a JSON column are not tracked.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    wake_time: Mapped[time] = mapped_column(Time, default=time(7, 0))
    bed_time: Mapped[time] = mapped_column(Time, default=time(23, 0))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The last event sequence number given out; taken under this row's lock (see sync.py).
    event_seq: Mapped[int] = mapped_column(default=0, server_default="0")
    # Where the client's phone says it is now; reminders follow it when they travel.
    device_timezone: Mapped[str | None] = mapped_column(String(64))
    device_timezone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reminder preferences: on by default; "discreet" hides task names on the lock screen.
    reminders_enabled: Mapped[bool] = mapped_column(default=True, server_default="1")
    reminders_discreet: Mapped[bool] = mapped_column(default=False, server_default="0")
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    # When the client asked, from the app, for their data to be deleted (privacy.py).
    deletion_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the list's search reads (domain/search.py): the name and contact folded (no case,
    # no accents) and the contact's phone numbers as digits, kept by `_searchable` below.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_phone: Mapped[str] = mapped_column(Text, default="", server_default="")

    clinic: Mapped[Clinic] = relationship(back_populates="clients")
    sessions: Mapped[list["TreatmentSession"]] = relationship(
        back_populates="client",
        order_by="TreatmentSession.starts_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    enrollment_codes: WriteOnlyMapped["EnrollmentCode"] = relationship(
        back_populates="client", cascade="all, delete-orphan", passive_deletes=True
    )
    devices: WriteOnlyMapped["Device"] = relationship(
        back_populates="client", cascade="all, delete-orphan", passive_deletes=True
    )
    plan: Mapped["Plan | None"] = relationship(
        back_populates="client", cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("timezone")
    def validate_timezone(self, _key: str, name: str) -> str:
        # A bad zone name would otherwise surface only when a plan is computed.
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r}") from None
        return name

    def __repr__(self) -> str:
        return f"<Client {self.id} {self.name!r}>"


@event.listens_for(Client, "before_insert")
@event.listens_for(Client, "before_update")
def _searchable(_mapper, _connection, client: Client) -> None:
    """Fold the name and contact into the search columns whenever a client is written."""
    client.search_text = name_text(client.name, client.contact)
    client.search_phone = phone_digits(client.contact)


class TreatmentSession(db.Model):
    """One SMP treatment session of a client; aftercare plans count from these."""

    __tablename__ = "treatment_sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship(back_populates="sessions")

    def __repr__(self) -> str:
        return f"<TreatmentSession {self.id} {self.starts_at.isoformat()}>"
