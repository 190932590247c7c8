"""A photo from the client's phone, stored once per id the phone made. The view commits.

The phone may send a photo again (it never heard the answer, or the upload was cut off): the
same id with the same bytes is the photo already stored; with other bytes it is refused, so
nothing is silently replaced. Nothing is written before the whole body has arrived and been
checked, and the bytes and the row go in one transaction (storage.py).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain.errors import Conflict, InvalidField
from ..domain.healing import Session, healing_day
from ..extensions import db
from ..models import CheckinAnswer, Device, Photo, TreatmentSession
from ..phone.sync import ClientGone
from . import images
from .storage import storage


def upload(
    device: Device,
    photo_id: UUID,
    body: bytes,
    taken_at: datetime,
    check_in_id: UUID | None,
    now: datetime,
) -> tuple[Photo, bool]:
    """(the photo, whether it is new); Conflict if the id is taken by another photo."""
    digest = hashlib.sha256(body).hexdigest()
    existing = _stored(photo_id, device.client_id, digest)
    if existing:
        return existing, False
    if check_in_id is not None:
        _own_check_in(check_in_id, device.client_id)
    kept = images.stripped(body)
    session_id, day = healing_day(taken_at, _sessions(device.client_id), _zone(device))
    key = f"photos/{device.client_id}/{photo_id}"
    photo = Photo(
        photo_id=photo_id,
        client_id=device.client_id,
        check_in_id=check_in_id and str(check_in_id),
        taken_at=taken_at,
        taken_utc_offset_minutes=int(taken_at.utcoffset().total_seconds() // 60),
        received_at=now,
        session_id=session_id,
        day_after_session=day,
        upload_sha256=digest,
        storage_key=key,
        content_type=kept.content_type,
        width=kept.width,
        height=kept.height,
        byte_size=len(kept.data),
    )
    try:
        with db.session.begin_nested():
            storage().put(key, kept.data)
            db.session.add(photo)
    except IntegrityError:
        # The same upload, sent twice at once, and the other committed first; or the clinic
        # deleted the client meanwhile.
        existing = _stored(photo_id, device.client_id, digest)
        if existing:
            return existing, False
        raise ClientGone() from None
    return photo, True


def _own_check_in(check_in_id: UUID, client_id: int) -> None:
    """Refuse a photo for another client's check-in. One not stored yet is taken: the phone
    sends check-ins and photos separately, and the photo may arrive first."""
    others = select(CheckinAnswer.id).where(
        CheckinAnswer.checkin_id == check_in_id, CheckinAnswer.client_id != client_id
    )
    if db.session.scalar(others.limit(1)) is not None:
        raise InvalidField("check_in_id", "Not one of your check-ins.")


def _stored(photo_id: UUID, client_id: int, digest: str) -> Photo | None:
    photo = db.session.scalar(select(Photo).where(Photo.photo_id == photo_id))
    if photo is None:
        return None
    if photo.client_id != client_id or photo.upload_sha256 != digest:
        raise Conflict(
            "photo_conflict",
            "A different photo was already sent with this id; send this one with a new id.",
        )
    return photo


def _sessions(client_id: int) -> list[Session]:
    rows = db.session.execute(
        select(TreatmentSession.id, TreatmentSession.starts_at, TreatmentSession.ends_at).where(
            TreatmentSession.client_id == client_id
        )
    )
    return [Session(*row) for row in rows]


def _zone(device: Device) -> ZoneInfo:
    return ZoneInfo(device.client.timezone)


def image_of(photo: Photo) -> bytes | None:
    return storage().get(photo.storage_key)
