"""/api/v1/me/reminders: the client's reminder preferences, and snoozing one reminder."""

from ..clock import now
from ..extensions import db
from ..reminders import schedule, subscriptions
from ..schemas.push import ReminderSettingsSchema, SnoozedSchema
from .blueprint import Blueprint
from .device_auth import authenticate_device, current_device
from .error_docs import JSON_BODY, errors
from .json_body import require_json_body

bp = Blueprint("reminders", __name__, url_prefix="/api/v1/me", description="Reminders")
bp.before_request(authenticate_device)
bp.before_request(require_json_body)
SECURITY = [{"device_token": []}]


@bp.get("/reminders")
@bp.response(200, ReminderSettingsSchema)
@errors(bp, "unauthorized")
@bp.doc(security=SECURITY)
def get_settings():
    """The client's reminder preferences, and whether this device gets them."""
    return subscriptions.settings(current_device())


@bp.put("/reminders")
@bp.arguments(ReminderSettingsSchema)
@bp.response(200, ReminderSettingsSchema)
@errors(bp, "unauthorized", *JSON_BODY)
@bp.doc(security=SECURITY)
def put_settings(body):
    """Turn reminders on or off, make them discreet, set quiet hours (both or neither)."""
    quiet = (body["quiet_start"], body["quiet_end"])
    client = current_device().client
    subscriptions.set_preferences(client, body["enabled"], body["discreet"], quiet, now())
    db.session.commit()
    return subscriptions.settings(current_device())


@bp.post("/reminders/<int:reminder_id>/snooze")
@bp.response(200, SnoozedSchema)
@errors(bp, "unauthorized", "not_found", "snooze_limit")
@bp.doc(security=SECURITY)
def snooze(reminder_id: int):
    """Remind again in 30 minutes (a few times per slot at most)."""
    reminder = schedule.snooze(current_device().client_id, reminder_id, now())
    db.session.commit()
    return {"due_at": reminder.due_at, "snoozes_left": schedule.MAX_SNOOZES - reminder.snoozes}
