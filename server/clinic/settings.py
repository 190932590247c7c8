"""The clinic's own settings, changed by its admins: the zone its records are read in, its
dashboard's language and the phone number clients call on a red flag."""

from __future__ import annotations

from datetime import datetime

from ..extensions import db
from ..models import Clinic
from . import audit
from .staff import require_admin


def current() -> Clinic:
    """The signed-in admin's clinic."""
    return db.session.get(Clinic, require_admin().clinic_id)


def change(now: datetime, **wanted: str) -> bool:
    """Set the given settings (`timezone`, `language`, `phone`: validated by the caller's
    schema); tell whether any changed. Audited with each old and new value."""
    clinic = current()
    changes = {
        name: [getattr(clinic, name), value]
        for name, value in wanted.items()
        if getattr(clinic, name) != value
    }
    if not changes:
        return False
    audit.record("clinic.settings", detail=changes, now=now)
    for name, (_, value) in changes.items():
        setattr(clinic, name, value)
    return True
