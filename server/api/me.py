"""/api/v1/me: the signed-in device's own client, plan and sync."""

from flask import current_app
from flask_smorest import Blueprint

from .. import plans, rate_limits
from ..clock import now
from ..devices import authenticate_device, current_device, signed_out
from ..domain import sync as rules
from ..errors import ApiError
from ..extensions import db
from ..models import Client
from ..schemas import MeSchema, PlanSchema, SettingsSchema, SyncRequestSchema, SyncResponseSchema
from ..sync import ClientGone, sync
from .caching import versioned_json
from .error_docs import JSON_BODY, errors
from .json_body import require_json_body

bp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="The client's own data")
bp.before_request(authenticate_device)
bp.before_request(require_json_body)
SECURITY = [{"device_token": []}]


def profile(client: Client) -> dict:
    return {
        "name": client.name,
        "clinic": client.clinic.name,
        "timezone": client.timezone,
        "wake": client.wake_time.strftime("%H:%M"),
        "bed": client.bed_time.strftime("%H:%M"),
        "protocol_id": client.protocol_id,
        "answers": dict(client.answers),
        "deletion_requested_at": client.deletion_requested_at,
    }


@bp.get("")
@bp.response(200, MeSchema)
@errors(bp, "unauthorized")
@bp.doc(security=SECURITY)
def me():
    """Who this device belongs to."""
    return profile(current_device().client)


@bp.put("/settings")
@bp.arguments(SettingsSchema)
@bp.response(200, MeSchema)
@errors(bp, "unauthorized", *JSON_BODY, "protocol_unavailable")
@bp.doc(security=SECURITY)
def settings(body):
    """Set the client's waking day; the plan is rebuilt, occurrence ids stay the same."""
    client = current_device().client
    try:
        plans.set_waking_day(
            client, body["wake"], body["bed"], current_app.extensions["protocols"], now()
        )
    except plans.UnknownProtocol:
        raise _protocol_unavailable() from None
    except ValueError as error:
        raise ApiError(
            422, "invalid_fields", "Some fields are not valid.", {"bed": [str(error)]}
        ) from None
    db.session.commit()
    return profile(client)


@bp.delete("/device")
@bp.response(204)
@errors(bp, "unauthorized")
@bp.doc(security=SECURITY)
def sign_out():
    """Sign this device out: its token stops working at once."""
    current_device().revoked_at = now()
    db.session.commit()


@bp.get("/plan")
@bp.response(200, PlanSchema)
@bp.alt_response(304, description="Not modified")
@errors(bp, "unauthorized", "protocol_unavailable")
@bp.doc(security=SECURITY)
def plan():
    """The client's current plan; send If-None-Match with the last ETag for a cheap 304."""
    client = current_device().client
    if client.plan is None:
        try:
            plans.rebuild(client, current_app.extensions["protocols"], now())
        except plans.UnknownProtocol:
            raise _protocol_unavailable() from None
        db.session.commit()
    return versioned_json(client.plan.content, client.plan.version, private=True)


@bp.post("/sync")
@rate_limits.limit_sync
@bp.arguments(SyncRequestSchema)
@bp.response(200, SyncResponseSchema)
@errors(bp, "unauthorized", *JSON_BODY, "batch_too_large", "rate_limited")
@bp.doc(security=SECURITY)
def sync_events(body):
    """Send ticks made on this device and receive every event after `cursor`, from any device."""
    events = [
        rules.Event(e["id"], e["occurrence"], e["action"], rules.to_milliseconds(e["at"]))
        for e in body["events"]
    ]
    try:
        after = rules.decode_cursor(body["cursor"])
    except ValueError as error:
        fields = {"cursor": [f"{error}; omit it to start again."]}
        raise ApiError(422, "invalid_fields", "Some fields are not valid.", fields) from None
    try:
        result = sync(current_device(), events, after, body.get("timezone"), now())
    except ClientGone:
        db.session.rollback()
        raise signed_out() from None  # the clinic deleted the client meanwhile
    db.session.commit()
    return result.__dict__


def _protocol_unavailable() -> ApiError:
    return ApiError(
        503, "protocol_unavailable", "Your clinic's protocol is not available right now."
    )
