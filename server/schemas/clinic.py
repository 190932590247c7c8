"""API shapes for the clinic: signing in, its clients, their record, sessions and devices.

Validation and documentation only; no database, no request. Dumped objects (models, the
list's lines) are read through each field's attribute.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.flags import FLAGS
from ..domain.plan import MAX_SESSIONS
from .fields import (
    Answers,
    ClockTime,
    Language,
    PlainText,
    Text,
    TimeZone,
    no_surrogates,
    storable,
)

# Sessions are real appointments: this keeps typos such as year 2206 out of plans.
SESSION_RANGE = validate.Range(
    min=datetime(2000, 1, 1, tzinfo=UTC),
    max=datetime(2100, 1, 1, tzinfo=UTC),
    error="Must be between the years 2000 and 2100.",
)


def session_moment(moment: datetime) -> None:
    storable(moment)  # first: comparing a moment that does not exist in UTC would overflow
    SESSION_RANGE(moment)


MAX_SESSION_LENGTH = timedelta(hours=24)


class SignInSchema(Schema):
    email = Text(required=True, validate=validate.Length(min=1, max=320))
    # Compared with a hash, never stored or shown: any character goes (a whole one).
    password = fields.String(
        required=True, validate=[validate.Length(min=1, max=1024), no_surrogates]
    )


class ClinicianSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True, metadata={"description": "admin or clinician"})
    clinic_id = fields.Integer(required=True)
    clinic = fields.String(
        required=True, attribute="clinic.name", metadata={"description": "The clinic's name"}
    )
    password_change_required = fields.Boolean(
        required=True,
        attribute="must_change_password",
        metadata={
            "description": "Signed in with a temporary password: the clinic's other endpoints "
            "answer 403 password_change_required until it is changed on the dashboard"
        },
    )


class SignedInSchema(Schema):
    clinician = fields.Nested(ClinicianSchema, allow_none=True, required=True)
    csrf_token = fields.String(
        required=True, metadata={"description": "Send as X-CSRFToken with every change"}
    )


class SessionTimesSchema(Schema):
    start = fields.AwareDateTime(
        required=True, validate=session_moment, metadata={"description": "RFC 3339 with offset"}
    )
    end = fields.AwareDateTime(required=True, validate=session_moment)

    @validates_schema
    def end_after_start(self, data, **_):
        if data["end"] <= data["start"]:
            raise ValidationError("Must be after start.", "end")
        if data["end"] - data["start"] > MAX_SESSION_LENGTH:
            raise ValidationError("A session lasts at most 24 hours.", "end")


class ClientProfileSchema(Schema):
    """The fields a clinic may change; all optional."""

    name = PlainText()
    contact = PlainText(
        max_length=500,
        min_length=0,
        allow_none=True,
        metadata={"description": "Phone or email; empty or null clears it"},
    )
    timezone = TimeZone()
    answers = Answers(
        unanswering=True,
        metadata={
            "description": "Questions left out keep their answers; null leaves one for the "
            "client to answer in the app (the plan uses its default until then)"
        },
    )
    wake = ClockTime(metadata={"example": "07:00"})
    bed = ClockTime(metadata={"example": "23:00", "description": "May be after midnight"})
    language = Language()


class NewClientSchema(ClientProfileSchema):
    name = PlainText(required=True)
    timezone = TimeZone(required=True)
    language = Language(
        metadata={
            "description": "One of the protocol's `languages`; null: the protocol's own; "
            "left out: the clinic's language, if the protocol has it (else the protocol's own)"
        }
    )
    protocol_id = Text(required=True, validate=validate.Length(min=1, max=64))
    answers = Answers(
        load_default=dict,
        unanswering=True,
        metadata={"description": "Leave a question out (or null) for the client to answer"},
    )
    wake = ClockTime(load_default=time(7, 0))
    bed = ClockTime(load_default=time(23, 0))
    sessions = fields.List(
        fields.Nested(SessionTimesSchema),
        load_default=list,
        validate=validate.Length(
            max=MAX_SESSIONS, error=f"A client can have at most {MAX_SESSIONS} sessions."
        ),
    )


class ClientListQuerySchema(Schema):
    q = Text(
        validate=validate.Length(max=200), metadata={"description": "Part of a name or contact"}
    )
    flag = fields.String(
        validate=validate.OneOf(list(FLAGS)), metadata={"description": "Only clients with it"}
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class AdherenceSummarySchema(Schema):
    """A client's stored summary (models.ClientSummary), as the list and the record show it."""

    due_so_far = fields.Integer(
        required=True,
        attribute="due",
        metadata={"description": "Required task occurrences whose time is up"},
    )
    done = fields.Integer(required=True, metadata={"description": "Of those, how many are done"})
    adherence = fields.Float(
        allow_none=True, required=True, metadata={"description": "done / due_so_far"}
    )
    missed_critical = fields.Integer(
        required=True,
        attribute="critical_missed",
        metadata={"description": "Required tasks missed on days 1 to 4 after the last session"},
    )
    last_sync = fields.DateTime(allow_none=True, required=True)
    next_session = fields.DateTime(allow_none=True, required=True)
    last_session = fields.DateTime(allow_none=True, required=True)


class ClientListItemSchema(Schema):
    """One line of the clinic's list (clinic/client_list.py ClientLine)."""

    id = fields.Integer(required=True, attribute="client.id")
    name = fields.String(required=True, attribute="client.name")
    contact = fields.String(allow_none=True, required=True, attribute="client.contact")
    protocol_id = fields.String(required=True, attribute="client.protocol_id")
    timezone = fields.String(required=True, attribute="client.timezone")
    summary = fields.Nested(AdherenceSummarySchema, required=True)
    flags = fields.List(
        fields.String(validate=validate.OneOf(list(FLAGS))),
        required=True,
        metadata={"description": "The list's filters this client matches"},
    )


class ClientListSchema(Schema):
    clients = fields.List(fields.Nested(ClientListItemSchema), required=True, attribute="items")
    page = fields.Integer(required=True, attribute="number")
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class TreatmentSessionSchema(Schema):
    id = fields.Integer(required=True)
    number = fields.Integer(required=True)
    start = fields.DateTime(required=True, metadata={"description": "In the client's zone"})
    end = fields.DateTime(required=True)
    final = fields.Boolean(required=True)


class DeviceSchema(Schema):
    id = fields.Integer(required=True)
    label = fields.String(allow_none=True, required=True)
    timezone = fields.String(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    last_seen_at = fields.DateTime(allow_none=True, required=True)
    revoked_at = fields.DateTime(allow_none=True, required=True)


class EventRecordSchema(Schema):
    """A stored event (models.AdherenceEvent) as the clinic and the client's export show it."""

    event_id = fields.String(required=True)
    occurrence_id = fields.String(required=True)
    action = fields.String(required=True)
    device_at = fields.DateTime(
        required=True,
        attribute="device_time",
        metadata={"description": "As the device said it, in its own UTC offset"},
    )
    received_at = fields.DateTime(
        required=True, metadata={"description": "When the server received it"}
    )
    device_id = fields.Integer(allow_none=True, required=True)


class LoggedEventSchema(EventRecordSchema):
    task_id = fields.String(allow_none=True, required=True)


class ClientProtocolSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(allow_none=True, required=True)
    bundle_version = fields.String(allow_none=True, required=True)
    languages = fields.List(
        fields.String(), metadata={"description": "What the client's language may be"}
    )


class StoredWarningSchema(Schema):
    """A warning as the stored plan holds it (PlanSchema's, already written out)."""

    code = fields.String(required=True)
    message = fields.String(required=True)
    date = fields.String(allow_none=True, required=True)


class ClientPlanSchema(Schema):
    version = fields.String(required=True)
    built_at = fields.DateTime(required=True)
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "What the plan is drawn from: the answers, or else defaults"},
    )
    warnings = fields.List(fields.Nested(StoredWarningSchema), required=True)


class OutstandingLinkSchema(Schema):
    """An enrollment link that would still work (its code is never shown again)."""

    id = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True)
    issued_by = fields.String(
        allow_none=True, required=True, attribute="issued_by.name", metadata={"description": "Who"}
    )


class ClientSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    contact = fields.String(allow_none=True, required=True)
    timezone = fields.String(required=True)
    language = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The client's texts' language; null: the protocol's own"},
    )
    wake = ClockTime(required=True)
    bed = ClockTime(required=True)
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "As the clinic or the client answered; the rest are unanswered"},
    )
    unanswered = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Questions the app asks the client (the plan uses defaults)"},
    )
    created_at = fields.DateTime(required=True)
    deletion_requested_at = fields.DateTime(
        allow_none=True,
        required=True,
        metadata={"description": "When the client asked, from the app, to be deleted"},
    )
    protocol = fields.Nested(ClientProtocolSchema, required=True)
    sessions = fields.List(fields.Nested(TreatmentSessionSchema), required=True)
    plan = fields.Nested(ClientPlanSchema, required=True)
    summary = fields.Nested(AdherenceSummarySchema, required=True)
    devices = fields.List(fields.Nested(DeviceSchema), required=True)
    events = fields.List(
        fields.Nested(LoggedEventSchema), required=True, metadata={"description": "Newest first"}
    )
    events_more = fields.Boolean(
        required=True, metadata={"description": "True when older events were left out"}
    )
    enrollment_links = fields.List(
        fields.Nested(OutstandingLinkSchema),
        required=True,
        metadata={"description": "Links that would still enroll a phone (at most one)"},
    )


class CancelledLinksSchema(Schema):
    cancelled = fields.Integer(required=True, metadata={"description": "How many links stopped"})


class RevokeSchema(Schema):
    cancel_links = fields.Boolean(
        load_default=False, metadata={"description": "Also stop the client's unused links"}
    )


class EnrollmentLinkSchema(Schema):
    code = fields.String(required=True, metadata={"description": "Shown once; only a hash is kept"})
    url = fields.String(required=True, metadata={"description": "Open on the client's phone"})
    expires_at = fields.DateTime(required=True)


class CreatedClientSchema(ClientSchema):
    enrollment = fields.Nested(EnrollmentLinkSchema, required=True)
