"""API shapes of a client's own data (GET /api/v1/me/export) and deletion request."""

from __future__ import annotations

from marshmallow import Schema, fields

from .clinic import DeviceSchema, EventRecordSchema
from .fields import ClockTime
from .photos import ExportPhotoSchema


def Moment(**kwargs) -> fields.DateTime:
    return fields.DateTime(required=True, **kwargs)


def MaybeMoment(**kwargs) -> fields.DateTime:
    return fields.DateTime(required=True, allow_none=True, **kwargs)


class ExportClinicSchema(Schema):
    name = fields.String(required=True)


class ExportReminderSettingsSchema(Schema):
    enabled = fields.Boolean(required=True)
    discreet = fields.Boolean(required=True)
    quiet_start = ClockTime(required=True, allow_none=True)
    quiet_end = ClockTime(required=True, allow_none=True)


class ExportProfileSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    contact = fields.String(required=True, allow_none=True)
    timezone = fields.String(required=True, metadata={"description": "Set by the clinic"})
    device_timezone = fields.String(
        required=True, allow_none=True, metadata={"description": "Where the phone last was"}
    )
    device_timezone_at = MaybeMoment()
    protocol_id = fields.String(required=True)
    answers = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    wake = ClockTime(required=True)
    bed = ClockTime(required=True)
    reminders = fields.Nested(ExportReminderSettingsSchema, required=True)
    created_at = Moment()
    deletion_requested_at = MaybeMoment()


class ExportSessionSchema(Schema):
    id = fields.Integer(required=True)
    starts_at = Moment()
    ends_at = Moment()


class ExportPlanSchema(Schema):
    version = fields.String(required=True)
    bundle_version = fields.String(required=True)
    built_at = Moment()
    content = fields.Dict(required=True, metadata={"description": "As GET /api/v1/me/plan"})


class ExportOccurrenceSchema(Schema):
    occurrence_id = fields.String(required=True)
    task_id = fields.String(required=True)
    date = fields.Date(required=True, attribute="local_date")
    slot = fields.String(required=True)
    due_start = Moment()
    due_end = Moment()
    follows = fields.String(required=True, allow_none=True)
    optional = fields.Boolean(required=True)
    active = fields.Boolean(
        required=True, metadata={"description": "False once a plan change dropped it"}
    )


class ExportEventSchema(EventRecordSchema):
    event_id = fields.UUID(required=True)
    seq = fields.Integer(required=True)


class ExportCheckinSchema(Schema):
    checkin_id = fields.UUID(required=True)
    occurrence_id = fields.String(required=True)
    day = fields.Integer(required=True, metadata={"description": "Day after the session"})
    answers = fields.Dict(required=True)
    red_flags = fields.List(fields.String(), required=True)
    device_at = fields.DateTime(required=True, attribute="device_time")
    received_at = Moment()


class ExportPushSubscriptionSchema(Schema):
    id = fields.Integer(required=True)
    device_id = fields.Integer(required=True)
    endpoint = fields.String(required=True)
    created_at = Moment()


class ExportReminderSchema(Schema):
    id = fields.Integer(required=True)
    subscription_id = fields.Integer(required=True, allow_none=True)  # None: since removed
    slot = fields.String(required=True)
    occurrence_ids = fields.List(fields.String(), required=True)
    due_at = Moment()
    expires_at = Moment()
    state = fields.String(required=True)
    attempts = fields.Integer(required=True)
    sent_at = MaybeMoment()
    snoozes = fields.Integer(required=True)
    reason = fields.String(required=True, allow_none=True)


class ExportEnrollmentCodeSchema(Schema):
    id = fields.Integer(required=True)
    created_at = Moment()
    expires_at = Moment()
    used_at = MaybeMoment()


class ExportSchema(Schema):
    format = fields.String(required=True, metadata={"example": "aftercue-client-data/1"})
    exported_at = Moment()
    clinic = fields.Nested(ExportClinicSchema, required=True)
    client = fields.Nested(ExportProfileSchema, required=True)
    treatment_sessions = fields.List(fields.Nested(ExportSessionSchema), required=True)
    plan = fields.Nested(ExportPlanSchema, required=True, allow_none=True)
    task_occurrences = fields.List(fields.Nested(ExportOccurrenceSchema), required=True)
    adherence_events = fields.List(fields.Nested(ExportEventSchema), required=True)
    checkin_answers = fields.List(fields.Nested(ExportCheckinSchema), required=True)
    devices = fields.List(fields.Nested(DeviceSchema), required=True)
    push_subscriptions = fields.List(fields.Nested(ExportPushSubscriptionSchema), required=True)
    reminders = fields.List(fields.Nested(ExportReminderSchema), required=True)
    enrollment_codes = fields.List(fields.Nested(ExportEnrollmentCodeSchema), required=True)
    photos = fields.List(fields.Nested(ExportPhotoSchema), required=True)


class DeletionRequestSchema(Schema):
    requested_at = Moment(metadata={"description": "When the client first asked"})
    delete_by = Moment(metadata={"description": "The clinic deletes the data by then"})
