"""API shapes of a client's photos (PUT /api/v1/me/photos/<id>)."""

from __future__ import annotations

from marshmallow import Schema, fields

from .fields import Instant, storable

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


class PhotoUploadQuerySchema(Schema):
    taken_at = fields.AwareDateTime(
        required=True,
        format="iso",
        validate=storable,
        metadata={"description": "When the phone took it: device time, RFC 3339 with offset"},
    )
    check_in_id = fields.UUID(
        load_default=None,
        metadata={"description": "The check-in answer it belongs to, made on the phone"},
    )


class PhotoSchema(Schema):
    id = fields.UUID(
        required=True, attribute="photo_id", metadata={"description": "Made on the phone"}
    )
    check_in_id = fields.String(required=True, allow_none=True)
    taken_at = Instant(
        required=True, attribute="taken_time", metadata={"description": "As the phone said"}
    )
    received_at = Instant(required=True)
    session_id = fields.Integer(required=True, allow_none=True)
    day_after_session = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "Day 1 is the day the session ended; null before any session"},
    )
    content_type = fields.String(required=True, metadata={"description": "As stored, re-encoded"})
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    byte_size = fields.Integer(required=True)


class ExportPhotoSchema(PhotoSchema):
    data_base64 = fields.String(
        required=True, metadata={"description": "The stored image (metadata stripped), base64"}
    )
