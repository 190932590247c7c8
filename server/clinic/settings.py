"""The clinic's own settings, changed by its admins: for now, the zone its records are read in."""

from __future__ import annotations

from datetime import datetime

from ..extensions import db
from ..models import Clinic
from . import audit
from .staff import require_admin


def current() -> Clinic:
    """The signed-in admin's clinic."""
    return db.session.get(Clinic, require_admin().clinic_id)


def set_timezone(zone: str, now: datetime) -> bool:
    """Read the audit log and the CSV exports in `zone` (validated by the caller's schema);
    tell whether it changed. Audited with the old and new zone."""
    clinic = current()
    if clinic.timezone == zone:
        return False
    audit.record("clinic.settings", detail={"timezone": [clinic.timezone, zone]}, now=now)
    clinic.timezone = zone
    return True
