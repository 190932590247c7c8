"""/api/v1/me: the signed-in device's own client, plan and sync."""

from .. import rate_limits
from ..clock import now
from ..extensions import db
from ..phone import answers, checkins, delivery, devices, language
from ..phone.sync import ClientGone, sync
from ..plans.registry import registry
from ..plans.store import rebuild, set_waking_day
from ..schemas.phone import (
    CheckinsRequestSchema,
    CheckinsResponseSchema,
    MeSchema,
    MyAnswersSchema,
    MyLanguageSchema,
    PlanSchema,
    SettingsSchema,
    SyncRequestSchema,
    SyncResponseSchema,
)
from .blueprint import Blueprint
from .caching import versioned_json
from .device_auth import authenticate_device, current_device, signed_out
from .error_docs import JSON_BODY, errors
from .json_body import require_json_body

bp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="The client's own data")
bp.before_request(authenticate_device)
bp.before_request(require_json_body)
SECURITY = [{"device_token": []}]


@bp.get("")
@bp.response(200, MeSchema)
@errors(bp, "unauthorized")
@bp.doc(security=SECURITY)
def me():
    """Who this device belongs to."""
    return current_device().client


@bp.put("/settings")
@bp.arguments(SettingsSchema)
@bp.response(200, MeSchema)
@errors(bp, "unauthorized", *JSON_BODY, "protocol_unavailable")
@bp.doc(security=SECURITY)
def settings(body):
    """Set the client's waking day; the plan is rebuilt, occurrence ids stay the same."""
    client = current_device().client
    set_waking_day(client, body["wake"], body["bed"], registry(), now())
    db.session.commit()
    return client


@bp.put("/answers")
@bp.arguments(MyAnswersSchema)
@bp.response(200, MeSchema)
@errors(bp, "unauthorized", *JSON_BODY, "protocol_unavailable")
@bp.doc(security=SECURITY)
def set_answers(body):
    """Answer the plan's questions (those left out keep theirs); the plan is rebuilt,
    occurrence ids stay the same. Sending the same answers again changes nothing."""
    return _changed(lambda client_id: answers.answer(client_id, body["answers"], now()))


@bp.put("/language")
@bp.arguments(MyLanguageSchema)
@bp.response(200, MeSchema)
@errors(bp, "unauthorized", *JSON_BODY, "protocol_unavailable")
@bp.doc(security=SECURITY)
def set_language(body):
    """Choose the language of the plan's texts, one of the protocol bundle's `languages`
    (null: the protocol's own); the plan is rebuilt, occurrence ids and ticks stay. Sending
    the same language again changes nothing."""
    return _changed(lambda client_id: language.choose(client_id, body["language"], now()))


def _changed(change):
    """The client after `change(client_id)`, committed; 401 if the clinic deleted them
    meanwhile."""
    try:
        client = change(current_device().client_id)
    except ClientGone:
        db.session.rollback()
        raise signed_out() from None
    db.session.commit()
    return client


@bp.delete("/device")
@bp.response(204)
@errors(bp, "unauthorized")
@bp.doc(security=SECURITY)
def sign_out():
    """Sign this device out: its token stops working and its reminders stop, at once."""
    devices.disconnect(current_device(), now())
    db.session.commit()


@bp.get("/plan")
@bp.response(200, PlanSchema)
@bp.alt_response(304, description="Not modified")
@errors(bp, "unauthorized", "protocol_unavailable")
@bp.doc(security=SECURITY)
def plan():
    """The client's current plan; send If-None-Match with the last ETag for a cheap 304.
    Either way the phone has this plan from now on (phone/delivery.py)."""
    client = current_device().client
    if client.plan is None:
        rebuild(client, registry(), now())
    delivery.delivered(client.id, now())
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
    try:
        result = sync(current_device(), body["events"], body["cursor"], body.get("timezone"), now())
    except ClientGone:
        db.session.rollback()
        raise signed_out() from None  # the clinic deleted the client meanwhile
    db.session.commit()
    return result


@bp.post("/checkins")
@rate_limits.limit_sync
@bp.arguments(CheckinsRequestSchema)
@bp.response(200, CheckinsResponseSchema)
@errors(bp, "unauthorized", *JSON_BODY, "checkin_conflict", "rate_limited")
@bp.doc(security=SECURITY)
def send_checkins(body):
    """Send check-ins answered on this device: each stored once by its id (a resend is
    answered the same), with the red flags it raised; one bad answer stores none."""
    sent = [checkins.SentCheckin(**item) for item in body["checkins"]]
    try:
        stored = checkins.record(current_device(), sent, registry(), now())
    except ClientGone:
        db.session.rollback()
        raise signed_out() from None
    db.session.commit()
    return {"checkins": stored}
