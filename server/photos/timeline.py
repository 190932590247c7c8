"""The clinic's view of a client's photos: the healing timeline, and one photo, audited."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..clinic.audit import record
from ..clinic.scope import client_or_404
from ..domain.errors import NotFound
from ..domain.healing import Session, SessionPhotos, timeline
from ..extensions import db
from ..models import Photo
from .storage import storage


def healing_timeline(client_id: int, sessions: list[dict], zone: str) -> list[SessionPhotos]:
    """The client's photos by session and day (`sessions` as plans.store.numbered gives
    them), each day beside the previous session's same day: one statement."""
    photos = db.session.scalars(
        select(Photo).where(Photo.client_id == client_id).order_by(Photo.taken_at, Photo.id)
    ).all()
    held = [Session(s["id"], s["start"], s["end"]) for s in sessions]
    return timeline(held, photos, ZoneInfo(zone))


def photo_image(client_id: int, photo_id: UUID, now: datetime) -> tuple[bytes, str]:
    """One of the clinic's client's photos as (bytes, content type), recorded as seen by the
    signed-in clinician; NotFound for another clinic's client or another client's photo."""
    client = client_or_404(client_id)
    photo = db.session.scalar(
        select(Photo).where(Photo.client_id == client.id, Photo.photo_id == photo_id)
    )
    data = photo and storage().get(photo.storage_key)
    if data is None:
        raise NotFound("There is no such photo.")
    record("photo.view", client.id, {"photo_id": str(photo_id)}, now=now)
    return data, photo.content_type
