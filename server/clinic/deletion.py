"""Deleting a client, by one of the clinic's admins, and the requests clients make for it.

The clinic is the controller of its clients' data: a client asks from the app
(phone/my_data.py), the request shows on the dashboard, and an admin deletes the client within
DELETION_DEADLINE (docs/privacy.md). The calling view commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import AuditEntry, Client, Photo
from ..photos.storage import storage
from .audit import record
from .scope import client_or_404, clinic_clients
from .staff import require_admin

DELETION_DEADLINE = timedelta(days=30)


def deletion_status(client: Client) -> dict:
    """When the client asked to be deleted and the date the clinic must do it by."""
    requested = client.deletion_requested_at
    return {"requested_at": requested, "delete_by": requested and requested + DELETION_DEADLINE}


def open_requests() -> int:
    """How many of the clinic's clients are waiting to be deleted."""
    waiting = clinic_clients().where(Client.deletion_requested_at.is_not(None))
    return db.session.scalar(waiting.with_only_columns(func.count(Client.id)))


def delete_client(client_id: int, now: datetime) -> None:
    """Delete one of the admin's clients and every row about them; leave one audit line.

    Every table that refers to a client, directly or through a device or push subscription,
    does so with ON DELETE CASCADE (on SQLite too: foreign keys are switched on), so deleting
    the client's row deletes the rest in the same transaction. A table added without it
    would make this fail rather than leave rows behind. Photo bytes sit behind the storage
    interface (an object store one day), so they are deleted through it, by key. The trail
    of who saw or changed the record stays, with its details (session times, changed fields)
    wiped.
    """
    admin = require_admin()
    client = client_or_404(client_id)
    requested = client.deletion_requested_at
    db.session.expunge(client)  # its loaded relationships must not be flushed back
    storage().delete(
        list(db.session.scalars(select(Photo.storage_key).where(Photo.client_id == client_id)))
    )
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.clinic_id == admin.clinic_id, AuditEntry.client_id == client_id)
        .values(detail={})
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(Client)
        .where(Client.id == client_id, Client.clinic_id == admin.clinic_id)
        .execution_options(synchronize_session=False)
    )
    detail = {"deletion_requested_at": requested and requested.isoformat()}
    record("client.delete", client_id, detail, now=now, by=admin)
