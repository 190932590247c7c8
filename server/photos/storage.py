"""Where photo bytes live: a small interface, and the database behind it by default.

In the database, every web host shares the photos with nothing new to run, and a photo's
bytes are written in the same transaction as its row: an upload that fails or is cut off
leaves neither. An object store (S3 and the like) would implement the same three methods;
it could not join the transaction, so it would be written before the row is committed and an
orphaned object (a failed commit) swept later by key, which a row no longer names.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import delete, select

from ..extensions import db
from ..models import PhotoBlob


class PhotoStorage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes | None: ...

    def delete(self, keys: list[str]) -> None: ...


class DatabaseStorage:
    """Bytes in the `photo_blobs` table, in the caller's transaction (the caller commits)."""

    def put(self, key: str, data: bytes) -> None:
        db.session.add(PhotoBlob(key=key, data=data))

    def get(self, key: str) -> bytes | None:
        return db.session.scalar(select(PhotoBlob.data).where(PhotoBlob.key == key))

    def delete(self, keys: list[str]) -> None:
        if keys:
            db.session.execute(delete(PhotoBlob).where(PhotoBlob.key.in_(keys)))


def storage() -> PhotoStorage:
    """The storage in use: the database's (an object store would be chosen here, by config)."""
    return DatabaseStorage()
