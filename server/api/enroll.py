"""POST /api/v1/enroll: a client's phone trades a one-time code for a device token."""

from .. import rate_limits
from ..clock import now
from ..errors import ApiError
from ..extensions import db
from ..phone.enrollment import InvalidCode, preview, redeem
from ..schemas.phone import EnrollPreviewSchema, EnrollRequestSchema, EnrollResponseSchema
from .blueprint import Blueprint
from .error_docs import JSON_BODY, errors
from .json_body import require_json_body

bp = Blueprint("enroll", __name__, url_prefix="/api/v1", description="Enrollment")
bp.before_request(require_json_body)

INVALID = (
    "This enrollment link doesn't work: it may have been used already or expired. "
    "Ask your clinic for a new one."
)


@bp.post("/enroll")
@rate_limits.limit_enrollment
@bp.arguments(EnrollRequestSchema)
@bp.response(201, EnrollResponseSchema)
@errors(bp, "invalid_enrollment_code", "rate_limited", *JSON_BODY)
def enroll(body):
    """Redeem an enrollment code for this device's token (shown once)."""
    try:
        client, token = redeem(body["code"], now(), body.get("label"))
    except InvalidCode:
        raise ApiError(400, "invalid_enrollment_code", INVALID) from None
    db.session.commit()
    return {"token": token, "client": client}


@bp.post("/enroll/preview")
@rate_limits.limit_enrollment
@bp.arguments(EnrollRequestSchema)
@bp.response(200, EnrollPreviewSchema)
@errors(bp, "invalid_enrollment_code", "rate_limited", *JSON_BODY)
def preview_enrollment(body):
    """Whose plan a code would bring, without using it: a phone with a plan asks first."""
    try:
        client = preview(body["code"], now())
    except InvalidCode:
        raise ApiError(400, "invalid_enrollment_code", INVALID) from None
    return {"client": client}
