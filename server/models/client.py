"""Database models: clinics, their clinicians and clients, treatment sessions, enrollment codes."""

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator

from .extensions import db

password_hasher = PasswordHasher()


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (a default only; callers pass `now`)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A point in time: stored in UTC, always read back as an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware one, e.g. in UTC")
        value = value.astimezone(UTC)
        # SQLite has no time zones; store the UTC wall time and put the zone back on read.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Clinic(db.Model):
    """A clinic: the owner of clinicians, clients and their data."""

    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clinicians: WriteOnlyMapped["Clinician"] = relationship(back_populates="clinic")
    clients: WriteOnlyMapped["Client"] = relationship(back_populates="clinic")

    def __repr__(self) -> str:
        return f"<Clinic {self.id} {self.name!r}>"


class Clinician(UserMixin, db.Model):
    """A person who signs in to a clinic's dashboard."""

    __tablename__ = "clinicians"
    __table_args__ = (CheckConstraint("role IN ('admin', 'clinician')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="clinician")
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie's user id: bumping it signs the clinician out everywhere.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
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


class Client(db.Model):
    """A person in aftercare, following one protocol in their own time zone."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(64))
    protocol_id: Mapped[str] = mapped_column(String(64))
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


class EnrollmentCode(db.Model):
    """A one-time code that links a client's device to their record; only its hash is kept."""

    __tablename__ = "enrollment_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship(back_populates="enrollment_codes")

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


class PushSubscription(db.Model):
    """A device's Web Push subscription."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(Text, unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    device: Mapped[Device] = relationship(back_populates="push_subscriptions")
    reminders: WriteOnlyMapped["Reminder"] = relationship(
        back_populates="subscription", cascade="all, delete-orphan", passive_deletes=True
    )


class Reminder(db.Model):
    """One push notification for one slot of a client's day, to one subscription.

    The (subscription, key) pair is unique, so planning twice never makes two; the state is
    claimed before sending, so two workers never send the same row.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("subscription_id", "key", name="uq_reminders_subscription_key"),
        Index("ix_reminders_due", "state", "due_at"),
        CheckConstraint(
            "state IN ('pending', 'sending', 'sent', 'skipped', 'dropped', 'failed')", name="state"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="CASCADE")
    )
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))  # date|slot, the same on every device
    slot: Mapped[str] = mapped_column(String(16))
    occurrence_ids: Mapped[list[str]] = mapped_column(JSON)
    task_ids: Mapped[list[str]] = mapped_column(JSON)  # of each occurrence, in the same order
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snoozes: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(String(200))

    subscription: Mapped[PushSubscription] = relationship(back_populates="reminders")
    client: Mapped[Client] = relationship()


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


class ClientSummary(db.Model):
    """A client's line in the clinic's list, as adherence.py computes it, and how long it holds.

    Stored so the list reads one page of an index, whatever the clinic's size (client_list.py).
    A row is stale when an input changed (computed_at is NULL) or the clock reached
    refresh_after (a task fell due, a session began, 48 hours passed without a sync).
    """

    __tablename__ = "client_summaries"
    __table_args__ = (
        Index("ix_client_summaries_refresh_after", "clinic_id", "refresh_after"),
        Index("ix_client_summaries_computed_at", "clinic_id", "computed_at"),
    )

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    sort_name: Mapped[str] = mapped_column(String(200))  # lower(name), as the database lowers
    due: Mapped[int] = mapped_column(default=0, server_default="0")
    done: Mapped[int] = mapped_column(default=0, server_default="0")
    adherence: Mapped[float | None] = mapped_column(Float)
    # adherence is NULL exactly when nothing is due: sorting on this first puts those last on
    # both databases (SQLite indexes cannot say NULLS LAST).
    nothing_due: Mapped[bool] = mapped_column(default=True, server_default="1")
    critical_missed: Mapped[int] = mapped_column(default=0, server_default="0")
    last_sync: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_session: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_session: Mapped[datetime | None] = mapped_column(UTCDateTime)
    no_sync: Mapped[bool] = mapped_column(default=False, server_default="0")
    spacing_too_short: Mapped[bool] = mapped_column(default=False, server_default="0")
    needs_call: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The moment the values were computed for; NULL: an input changed since, recompute.
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first moment the values may change with the clock alone; NULL: never.
    refresh_after: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The list's order: who needs a call, then most missed, least adherent, then by name.
Index(
    "ix_client_summaries_by_need",
    ClientSummary.clinic_id,
    ClientSummary.needs_call.desc(),
    ClientSummary.critical_missed.desc(),
    ClientSummary.nothing_due,
    ClientSummary.adherence,
    ClientSummary.sort_name,
    ClientSummary.client_id,
)
