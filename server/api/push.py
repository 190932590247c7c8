"""/api/v1/push/key and /api/v1/me/push-subscriptions: a phone's Web Push set-up."""

from flask import current_app

from .. import rate_limits
from ..clock import now
from ..extensions import db
from ..reminders import subscriptions
from ..reminders.vapid import application_server_key
from ..schemas.push import (
    PushSubscriptionSchema,
    ReminderSettingsSchema,
    UnsubscribeSchema,
    VapidKeySchema,
)
from .blueprint import Blueprint
from .device_auth import authenticate_device, current_device
from .error_docs import JSON_BODY, errors
from .json_body import require_json_body

public_bp = Blueprint("push", __name__, url_prefix="/api/v1/push", description="Web Push set-up")
public_bp.before_request(require_json_body)
bp = Blueprint(
    "push_subscriptions", __name__, url_prefix="/api/v1/me", description="Push subscriptions"
)
bp.before_request(authenticate_device)
bp.before_request(require_json_body)
SECURITY = [{"device_token": []}]


@public_bp.get("/key")
@public_bp.response(200, VapidKeySchema)
def vapid_key():
    """The key to pass to pushManager.subscribe() as applicationServerKey."""
    return {"key": application_server_key(current_app.config["VAPID_PRIVATE_KEY"])}


@bp.post("/push-subscriptions")
@rate_limits.limit_push_subscribe
@bp.arguments(PushSubscriptionSchema)
@bp.response(201, ReminderSettingsSchema)
@errors(bp, "unauthorized", "rate_limited", *JSON_BODY)
@bp.doc(security=SECURITY)
def subscribe(body):
    """Store this device's push subscription (again: browsers change them silently)."""
    subscriptions.subscribe(current_device(), body["endpoint"], body["keys"], now())
    db.session.commit()
    return subscriptions.settings(current_device())


@bp.delete("/push-subscriptions")
@bp.arguments(UnsubscribeSchema)
@bp.response(204)
@errors(bp, "unauthorized", *JSON_BODY)
@bp.doc(security=SECURITY)
def unsubscribe(body):
    """Stop reminders to this device's subscription."""
    subscriptions.unsubscribe(current_device(), body["endpoint"])
    db.session.commit()
