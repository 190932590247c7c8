"""Push reminders: the server's VAPID key, this device's subscription, preferences, snooze."""

from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .. import rate_limits, reminders, vapid
from ..clinic_scope import valid_id
from ..clock import now
from ..devices import authenticate_device, current_device
from ..errors import ApiError
from ..extensions import db
from ..models import Device, PushSubscription, Reminder
from ..push_endpoints import EndpointRefused, Policy, check
from ..schemas import (
    PushSubscriptionSchema,
    ReminderSettingsSchema,
    SnoozedSchema,
    UnsubscribeSchema,
    VapidKeySchema,
)
from .error_docs import JSON_BODY, errors
from .json_body import require_json_body

public_bp = Blueprint("push", __name__, url_prefix="/api/v1/push", description="Web Push set-up")
public_bp.before_request(require_json_body)
bp = Blueprint("reminders", __name__, url_prefix="/api/v1/me", description="Reminders")
bp.before_request(authenticate_device)
bp.before_request(require_json_body)
SECURITY = [{"device_token": []}]


@public_bp.get("/key")
@public_bp.response(200, VapidKeySchema)
def vapid_key():
    """The key to pass to pushManager.subscribe() as applicationServerKey."""
    return {"key": vapid.application_server_key(current_app.config["VAPID_PRIVATE_KEY"])}


@bp.post("/push-subscriptions")
@rate_limits.limit_push_subscribe
@bp.arguments(PushSubscriptionSchema)
@bp.response(201, ReminderSettingsSchema)
@errors(bp, "unauthorized", "rate_limited", *JSON_BODY)
@bp.doc(security=SECURITY)
def subscribe(body):
    """Store this device's push subscription (again: browsers change them silently)."""
    config = current_app.config
    policy = Policy(tuple(config["PUSH_ALLOWED_HOSTS"]), tuple(config.get("PUSH_TEST_ORIGINS", ())))
    try:
        check(body["endpoint"], policy)
    except EndpointRefused as error:
        raise ApiError(
            422, "invalid_fields", "Some fields are not valid.", {"endpoint": [str(error)]}
        ) from None
    device = current_device()
    # Two requests with one new endpoint (a page and its worker) race to insert it: the loser
    # hits the unique key, and on its second try finds the row and updates it.
    for attempt in (1, 2):
        try:
            reminders.store_subscription(device, body["endpoint"], body["keys"], now())
            db.session.commit()
            break
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    return settings_of(device)


@bp.delete("/push-subscriptions")
@bp.arguments(UnsubscribeSchema)
@bp.response(204)
@errors(bp, "unauthorized", *JSON_BODY)
@bp.doc(security=SECURITY)
def unsubscribe(body):
    """Stop reminders to this device's subscription."""
    device = current_device()
    db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.endpoint == body["endpoint"], PushSubscription.device_id == device.id
        )
    )
    db.session.commit()


@bp.get("/reminders")
@bp.response(200, ReminderSettingsSchema)
@errors(bp, "unauthorized")
@bp.doc(security=SECURITY)
def get_settings():
    """The client's reminder preferences, and whether this device gets them."""
    return settings_of(current_device())


@bp.put("/reminders")
@bp.arguments(ReminderSettingsSchema)
@bp.response(200, ReminderSettingsSchema)
@errors(bp, "unauthorized", *JSON_BODY)
@bp.doc(security=SECURITY)
def put_settings(body):
    """Turn reminders on or off, make them discreet, set quiet hours (both or neither)."""
    if (body["quiet_start"] is None) != (body["quiet_end"] is None):
        raise ApiError(
            422,
            "invalid_fields",
            "Some fields are not valid.",
            {"quiet_end": ["Give both quiet-hours times, or neither."]},
        )
    client = current_device().client
    client.reminders_enabled, client.reminders_discreet = body["enabled"], body["discreet"]
    client.quiet_start, client.quiet_end = body["quiet_start"], body["quiet_end"]
    reminders.schedule(client, now())
    db.session.commit()
    return settings_of(current_device())


@bp.post("/reminders/<int:reminder_id>/snooze")
@bp.response(200, SnoozedSchema)
@errors(bp, "unauthorized", "not_found", "snooze_limit")
@bp.doc(security=SECURITY)
def snooze(reminder_id: int):
    """Remind again in 30 minutes (a few times per slot at most)."""
    device = current_device()
    reminder = None
    if valid_id(reminder_id):  # a larger number is no row, and too large for the database
        reminder = db.session.scalar(
            select(Reminder)
            .join(PushSubscription)
            .join(Device)
            .where(Reminder.id == reminder_id, Device.client_id == device.client_id)
        )
    if reminder is None:
        raise ApiError(404, "not_found", "No such reminder.")
    if not reminders.snooze(reminder, now()):
        raise ApiError(409, "snooze_limit", "This reminder was snoozed as often as it can be.")
    db.session.commit()
    return {"due_at": reminder.due_at, "snoozes_left": reminders.MAX_SNOOZES - reminder.snoozes}


def settings_of(device: Device) -> dict:
    client = device.client
    subscribed = db.session.scalar(
        select(PushSubscription.id).where(PushSubscription.device_id == device.id).limit(1)
    )
    return {
        "enabled": client.reminders_enabled,
        "discreet": client.reminders_discreet,
        "quiet_start": client.quiet_start,
        "quiet_end": client.quiet_end,
        "subscribed": subscribed is not None,
    }
