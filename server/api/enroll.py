"""POST /api/v1/enroll: a client's phone trades a one-time code for a device token."""

from flask_smorest import Blueprint

from .. import rate_limits
from ..clock import now
from ..enrollment import InvalidCode, redeem
from ..errors import ApiError, ErrorSchema
from ..extensions import db
from ..schemas import EnrollRequestSchema, EnrollResponseSchema
from .me import profile

bp = Blueprint("enroll", __name__, url_prefix="/api/v1", description="Enrollment")

INVALID = (
    "This enrollment link doesn't work: it may have been used already or expired. "
    "Ask your clinic for a new one."
)


@bp.post("/enroll")
@rate_limits.limit_enrollment
@bp.arguments(EnrollRequestSchema)
@bp.response(201, EnrollResponseSchema)
@bp.alt_response(400, schema=ErrorSchema, description="Unknown, used or expired code")
@bp.alt_response(429, schema=ErrorSchema, description="rate_limited: too many refused codes")
def enroll(body):
    """Redeem an enrollment code for this device's token (shown once)."""
    try:
        client, token = redeem(body["code"], now(), body.get("label"))
    except InvalidCode:
        raise ApiError(400, "invalid_enrollment_code", INVALID) from None
    db.session.commit()
    return {"token": token, "client": profile(client)}
