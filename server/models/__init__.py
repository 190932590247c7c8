"""Typed SQLAlchemy 2 models, one module per concept, all importable from here.

clinic: Clinic, Clinician. password_reset: PasswordReset. client: Client, TreatmentSession.
device: EnrollmentCode, Device. plan: ProtocolBundle, Plan, PlanOccurrence. event:
AdherenceEvent. checkin: CheckinAnswer. push: PushSubscription, Reminder, PushServiceBackoff.
audit: AuditEntry. summary: ClientSummary. photo: Photo, PhotoBlob. concern: Concern,
ClientNote. columns: UTCDateTime. sql_dates: calendar dates and instants in SQL for both
databases. upsert: an INSERT that tolerates a taken key.
"""

from flask import Flask

from .audit import AuditEntry
from .checkin import CheckinAnswer
from .client import Client, TreatmentSession
from .clinic import Clinic, Clinician
from .columns import UTCDateTime
from .concern import ClientNote, Concern
from .device import Device, EnrollmentCode
from .event import AdherenceEvent
from .password_reset import PasswordReset
from .photo import Photo, PhotoBlob
from .plan import Plan, PlanOccurrence, ProtocolBundle
from .push import PushServiceBackoff, PushSubscription, Reminder
from .sql_dates import register_sqlite_functions
from .summary import ClientSummary

__all__ = [
    "AdherenceEvent",
    "AuditEntry",
    "CheckinAnswer",
    "Client",
    "ClientNote",
    "ClientSummary",
    "Clinic",
    "Clinician",
    "Concern",
    "Device",
    "EnrollmentCode",
    "PasswordReset",
    "Photo",
    "PhotoBlob",
    "Plan",
    "PlanOccurrence",
    "ProtocolBundle",
    "PushServiceBackoff",
    "PushSubscription",
    "Reminder",
    "TreatmentSession",
    "UTCDateTime",
]


def init_app(app: Flask) -> None:
    """SQLite learns the date functions PostgreSQL has built in (sql_dates.py)."""
    register_sqlite_functions(app)
