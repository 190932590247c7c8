"""/api/v1/me/photos: the client's photos of the treated area, sent from the phone."""

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from .. import rate_limits
from ..clock import now
from ..errors import ApiError
from ..extensions import db
from ..phone.sync import ClientGone
from ..photos import uploads
from ..photos.images import MAX_BYTES
from ..schemas.photos import PHOTO_TYPES, PhotoSchema, PhotoUploadQuerySchema
from .blueprint import Blueprint
from .device_auth import authenticate_device, current_device, signed_out
from .error_docs import errors

bp = Blueprint(
    "photos", __name__, url_prefix="/api/v1/me/photos", description="The client's photos"
)
bp.before_request(authenticate_device)
SECURITY = [{"device_token": []}]
# The body is the image itself, never JSON: read whole (within MAX_BYTES) before anything is
# stored, so an upload cut off midway leaves nothing behind and is simply sent again.
IMAGE_BODY = {
    "required": True,
    "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in PHOTO_TYPES},
}
# How big a body each photo operation takes (api/__init__.py's refuse_oversized_bodies).
BODY_LIMITS = {"photos.put_photo": MAX_BYTES}


@bp.put("/<uuid:photo_id>")
@rate_limits.limit_photo_upload
@bp.arguments(PhotoUploadQuerySchema, location="query")
@bp.response(201, PhotoSchema, description="Stored")
@bp.alt_response(200, schema=PhotoSchema, description="Already stored with these bytes")
@errors(
    bp,
    "unauthorized",
    "not_found",
    "malformed_request",
    "too_large",
    "unsupported_media_type",
    "photo_conflict",
    "rate_limited",
)
@bp.doc(security=SECURITY, requestBody=IMAGE_BODY)
def put_photo(query, photo_id):
    """Store a photo (JPEG, PNG or WebP, at most 15 MB and 50 megapixels) under an id made on
    the phone. It is kept re-encoded as a JPEG of at most 1600 px, with no metadata (EXIF, GPS
    and the rest are dropped). Sending the same id and bytes again answers 200 with the photo
    already stored; other bytes under the same id are refused (409)."""
    if request.mimetype not in PHOTO_TYPES:
        raise ApiError(
            415, "unsupported_media_type", "Send the photo as image/jpeg, image/png or image/webp."
        )
    body = request.get_data(cache=False)
    if len(body) >= MAX_BYTES:  # sent without a length: reading stopped at the limit
        raise RequestEntityTooLarge()
    try:
        photo, created = uploads.upload(
            current_device(), photo_id, body, query["taken_at"], query["check_in_id"], now()
        )
    except ClientGone:
        db.session.rollback()
        raise signed_out() from None  # the clinic deleted the client meanwhile
    db.session.commit()
    return photo, 201 if created else 200
