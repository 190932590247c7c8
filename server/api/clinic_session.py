"""/api/v1/clinic/session: clinicians signing in and out, and the CSRF token."""

from .. import rate_limits
from ..clinic import auth
from ..clock import now
from ..domain.errors import AccountDeactivated
from ..errors import ApiError
from ..extensions import db
from ..schemas.clinic import SignedInSchema, SignInSchema
from .blueprint import Blueprint
from .error_docs import JSON_BODY, errors
from .json_body import require_json_body

bp = Blueprint(
    "clinic_session",
    __name__,
    url_prefix="/api/v1/clinic/session",
    description="Clinicians signing in (a session cookie; send X-CSRFToken with changes)",
)
bp.before_request(require_json_body)


@bp.get("")
@bp.response(200, SignedInSchema)
def get_session():
    """Who is signed in here (null for nobody), and the CSRF token to send as X-CSRFToken."""
    return auth.signed_in()


@bp.post("")
@rate_limits.limit_sign_in
@bp.arguments(SignInSchema)
@bp.response(200, SignedInSchema)
@errors(bp, "csrf_failed", "invalid_login", "forbidden", "rate_limited", *JSON_BODY)
def sign_in(body):
    """Sign in; the response carries a new CSRF token."""
    try:
        clinician = auth.sign_in(body["email"], body["password"], now())
    except AccountDeactivated:
        db.session.commit()  # audited like any failed attempt; errors.py answers 403
        raise
    db.session.commit()  # the audit trail keeps failed attempts too
    if clinician is None:
        raise ApiError(401, "invalid_login", "Wrong email or password.")
    return auth.signed_in()


@bp.delete("")
@bp.response(200, SignedInSchema)
@errors(bp, "unauthorized", "csrf_failed")  # open to a temporary password too
@bp.doc(security=[{"clinic_session": []}])
def sign_out():
    """Sign out of every browser at once."""
    auth.sign_out_everywhere(now())
    db.session.commit()
    return auth.signed_in()
