"""API shapes for the client's phone: protocols, enrollment, the plan and sync (push.py: reminders).

Validation and documentation only; no database, no request. Loaded values come out as the
use cases take them (domain events, a decoded cursor); dumped objects are read as they are.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from ..domain.plan import MAX_SESSIONS
from ..domain.sync import ACTIONS, MAX_BATCH, Event, decode_cursor, to_milliseconds
from ..errors import ApiError
from .fields import Answers, ClockTime, Instant, Language, PlainText, Text, TimeZone, storable

# --- Protocols ------------------------------------------------------------------------


class ProtocolSummarySchema(Schema):
    """One loaded protocol (plans/registry.py's LoadedProtocol), as the list shows it."""

    id = fields.String(required=True, attribute="protocol.id")
    title = fields.String(required=True, attribute="protocol.title")
    version = fields.String(
        required=True, attribute="protocol.version", metadata={"description": "The clinic's label"}
    )
    bundle_version = fields.String(required=True, metadata={"description": "Content hash"})
    summary = fields.String(attribute="protocol.summary")


class ProtocolListSchema(Schema):
    protocols = fields.List(fields.Nested(ProtocolSummarySchema), required=True)


class BundleSchema(Schema):
    """A protocol bundle: the protocol file's validated content (protocols/README.md)."""

    class Meta:
        unknown = "include"

    format = fields.Integer(required=True)
    bundle_version = fields.String(required=True)
    id = fields.String(required=True)
    title = fields.String(required=True)
    questions = fields.List(fields.Dict(), required=True)
    tasks = fields.List(fields.Dict(), required=True)
    restrictions = fields.List(fields.Dict(), required=True)
    cards = fields.List(fields.Dict())
    spacing = fields.List(fields.Dict())


class VersionQuerySchema(Schema):
    version = Text(validate=validate.Regexp(r"^[0-9a-f]{16}$"))
    language = Text(
        validate=validate.Regexp(r"^[a-z]{2,3}(-[A-Z]{2})?$"),
        metadata={
            "description": "The texts' language (the plan's `language`); one the protocol "
            "lacks is served in its first language, as `language` in the answer says"
        },
    )


# --- The client and their plan ----------------------------------------------------------


class MeSchema(Schema):
    """A client, as their own phone sees them."""

    id = fields.Integer(
        required=True, metadata={"description": "Tells a link for this client from another's"}
    )
    name = fields.String(required=True)
    clinic = fields.String(
        required=True, attribute="clinic.name", metadata={"description": "The clinic's name"}
    )
    clinic_phone = fields.String(
        allow_none=True,
        attribute="clinic.phone",
        metadata={"description": "Offered as a tel: link when a check-in raises a red flag"},
    )
    timezone = fields.String(required=True)
    wake = ClockTime(required=True, attribute="wake_time", metadata={"example": "07:00"})
    bed = ClockTime(required=True, attribute="bed_time", metadata={"example": "23:00"})
    protocol_id = fields.String(required=True)
    language = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The language chosen for the texts; null: the protocol's own"},
    )
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "As given; a question not here is unanswered (see the plan)"},
    )
    deletion_requested_at = fields.DateTime(
        allow_none=True, metadata={"description": "When the client asked to be deleted"}
    )


class SettingsSchema(Schema):
    wake = ClockTime(required=True, metadata={"example": "07:00"})
    bed = ClockTime(required=True, metadata={"example": "23:00"})


class MyLanguageSchema(Schema):
    language = Language(required=True)


class MyAnswersSchema(Schema):
    answers = Answers(
        required=True,
        metadata={
            "description": "Question id -> option value, from the plan's questions; questions "
            "left out keep their answers",
            "example": {"hair_length": "long", "gender": "woman"},
        },
    )


class EnrollRequestSchema(Schema):
    code = Text(required=True, validate=validate.Length(min=1, max=200))
    label = PlainText(metadata={"description": "A name for this device"})


class EnrollPreviewSchema(Schema):
    client = fields.Nested(
        MeSchema, required=True, metadata={"description": "Whom the code would connect to"}
    )


class EnrollResponseSchema(Schema):
    token = fields.String(
        required=True, metadata={"description": "Send as 'Authorization: Bearer'"}
    )
    client = fields.Nested(MeSchema, required=True)


class PlanSessionSchema(Schema):
    id = fields.String(required=True)
    number = fields.Integer(required=True)
    start = fields.DateTime(required=True, metadata={"description": "In the plan's zone"})
    end = fields.DateTime(required=True)
    final = fields.Boolean(required=True)


class PlanOccurrenceSchema(Schema):
    id = fields.String(required=True)
    task = fields.String(required=True, attribute="task_id")
    date = fields.Date(required=True, metadata={"description": "The client's waking day"})
    slot = fields.String(required=True)
    at = fields.DateTime(required=True, metadata={"description": "Local time with offset"})
    due_end = fields.DateTime(required=True)
    follows = fields.String(allow_none=True, required=True)
    optional = fields.Boolean(required=True)


class PlanRestrictionSchema(Schema):
    id = fields.String(required=True, attribute="restriction_id")
    start = fields.DateTime(required=True)
    end = fields.DateTime(allow_none=True, required=True, metadata={"description": "null: open"})


class PlanCardSchema(Schema):
    id = fields.String(required=True, attribute="card_id")
    start = fields.DateTime(allow_none=True, required=True)
    end = fields.DateTime(allow_none=True, required=True)


class PlanMilestoneSchema(Schema):
    restriction = fields.String(required=True, attribute="restriction_id")
    at = fields.DateTime(required=True)
    date = fields.Date(required=True)
    text = fields.String(required=True)


class PlanWarningSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    date = fields.Date(allow_none=True, required=True)
    task = fields.String(
        allow_none=True,
        metadata={"description": "The task it is about (task_after_bedtime); absent: none"},
    )
    said = fields.Function(
        lambda warning: (
            warning.template
            and {"id": warning.template, "plural": warning.plural, "values": dict(warning.values)}
        ),
        allow_none=True,
        metadata={
            "description": "The message as the server's catalogs know it (English id with "
            "%(name)s fields, its plural, the values), so the dashboard can say it in its "
            "reader's language; `message` is the English"
        },
    )


class PlanOptionSchema(Schema):
    value = fields.String(required=True, metadata={"description": "What is sent as the answer"})
    label = fields.String(required=True)


class PlanQuestionSchema(Schema):
    """One of the protocol's questions, from the bundle the plan is built from."""

    id = fields.String(required=True)
    label = fields.String(required=True, metadata={"description": "The question, for the client"})
    options = fields.List(fields.Nested(PlanOptionSchema), required=True)
    answer = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "As the clinic or the client answered it; null: not yet, ask"},
    )
    planned = fields.String(
        required=True, metadata={"description": "The answer the plan is drawn from meanwhile"}
    )


class PlanSchema(Schema):
    """The plan as the app receives it (plans/store.py dumps the engine's plan with it)."""

    version = fields.String(required=True, metadata={"description": "A hash of the rest"})
    protocol_id = fields.String(required=True)
    bundle_version = fields.String(required=True)
    timezone = fields.String(required=True)
    wake = ClockTime(required=True)
    bed = ClockTime(required=True)
    language = fields.String(
        metadata={
            "description": "The language of its texts: fetch the protocol bundle with "
            "?language= this; absent from plans built before protocols were translated"
        }
    )
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "What the plan is drawn from: the answers, or else defaults"},
    )
    questions = fields.List(
        fields.Nested(PlanQuestionSchema),
        metadata={
            "description": "The protocol's questions, answered or not; absent from plans built "
            "before the app asked (every question had an answer then)"
        },
    )
    sessions = fields.List(
        fields.Nested(PlanSessionSchema),
        required=True,
        validate=validate.Length(max=MAX_SESSIONS),
    )
    occurrences = fields.List(fields.Nested(PlanOccurrenceSchema), required=True)
    restrictions = fields.List(fields.Nested(PlanRestrictionSchema), required=True)
    milestones = fields.List(fields.Nested(PlanMilestoneSchema), required=True)
    cards = fields.List(fields.Nested(PlanCardSchema), required=True)
    warnings = fields.List(fields.Nested(PlanWarningSchema), required=True)


# --- Sync -----------------------------------------------------------------------------


class EventSchema(Schema):
    id = fields.UUID(required=True, metadata={"description": "Made on the device"})
    occurrence = Text(required=True, validate=validate.Length(min=1, max=32))
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    at = fields.AwareDateTime(
        required=True,
        format="iso",
        validate=storable,
        metadata={"description": "Device time, RFC 3339 with offset"},
    )

    @post_load
    def to_event(self, data, **_) -> Event:
        return Event(data["id"], data["occurrence"], data["action"], to_milliseconds(data["at"]))


class Cursor(fields.String):
    """The pull cursor a sync answered with, loaded as the sequence number it stands for."""

    MAX_LENGTH = 100

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if len(text) > self.MAX_LENGTH:
                raise ValueError("not a cursor this server issued")
            return decode_cursor(text)
        except ValueError as error:
            raise ValidationError(f"{error}; omit it to start again.") from None


class SyncRequestSchema(Schema):
    events = fields.List(
        fields.Nested(EventSchema), load_default=list, validate=validate.Length(max=MAX_BATCH)
    )
    cursor = Cursor(
        load_default=None,
        allow_none=True,
        metadata={"maxLength": Cursor.MAX_LENGTH, "description": "From the previous response"},
    )
    timezone = TimeZone(metadata={"description": "The device's current IANA zone"})

    @pre_load
    def cap_batch(self, data, **_):
        # Checked before any event is validated, so an oversized batch costs nothing.
        events = data.get("events") if isinstance(data, dict) else None
        if isinstance(events, list) and len(events) > MAX_BATCH:
            raise ApiError(
                413,
                "batch_too_large",
                f"Send at most {MAX_BATCH} events per request; send the rest in the next one.",
            )
        return data

    @post_load
    def from_the_start(self, data, **_):
        data["cursor"] = data["cursor"] or 0  # no cursor: everything
        return data


class RejectedSchema(Schema):
    id = fields.String(required=True)
    code = fields.String(required=True, metadata={"description": "conflict, unknown_occurrence"})
    reason = fields.String(required=True)


class StoredEventSchema(Schema):
    """A stored event (models.AdherenceEvent) as phones pull it."""

    id = fields.String(required=True, attribute="event_id")
    occurrence = fields.String(required=True, attribute="occurrence_id")
    action = fields.String(required=True)
    at = Instant(
        required=True, attribute="device_time", metadata={"description": "As the device said it"}
    )
    received_at = Instant(required=True)


class SyncResponseSchema(Schema):
    accepted = fields.List(fields.String(), required=True)
    rejected = fields.List(fields.Nested(RejectedSchema), required=True)
    events = fields.List(fields.Nested(StoredEventSchema), required=True)
    cursor = fields.String(required=True)
    more = fields.Boolean(required=True, metadata={"description": "Sync again to pull the rest"})
    plan_version = fields.String(allow_none=True, required=True)


# --- Check-ins ----------------------------------------------------------------------

MAX_CHECKINS = 50


class CheckinAnswerValue(fields.Raw):
    """A check-in answer: an option's value, "yes"/"no", or a whole number on a 0-10 scale."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError("Give text or a whole number.")
        if isinstance(value, str) and len(value) > 63:
            raise ValidationError("Longer than any answer.")
        return value

    def _jsonschema_type_mapping(self):
        return {"oneOf": [{"type": "string", "maxLength": 63}, {"type": "integer"}]}


class CheckinSchema(Schema):
    id = fields.UUID(required=True, metadata={"description": "Made on the device"})
    occurrence = Text(
        required=True,
        validate=validate.Length(min=1, max=32),
        metadata={"description": "A plan occurrence of task `checkin`"},
    )
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=63)),
        values=CheckinAnswerValue(),
        required=True,
        validate=validate.Length(max=30),
        metadata={
            "maxProperties": 30,
            "description": "Check-in question id -> answer: 'yes'/'no', an option's value, or 0-10",
            "example": {"oozing": "pus", "pain": 7, "fever": "no"},
        },
    )
    at = fields.AwareDateTime(
        required=True,
        format="iso",
        validate=storable,
        metadata={"description": "Device time, RFC 3339 with offset"},
    )

    @post_load
    def to_milliseconds(self, data, **_):
        data["at"] = to_milliseconds(data["at"])
        return data


class CheckinsRequestSchema(Schema):
    checkins = fields.List(
        fields.Nested(CheckinSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_CHECKINS),
    )


class StoredCheckinSchema(Schema):
    id = fields.UUID(required=True, attribute="checkin_id")
    occurrence = fields.String(required=True, attribute="occurrence_id")
    day = fields.Integer(required=True, metadata={"description": "Day after the session"})
    red_flags = fields.List(
        fields.String(), required=True, metadata={"description": "The red flags raised, by id"}
    )


class CheckinsResponseSchema(Schema):
    checkins = fields.List(fields.Nested(StoredCheckinSchema), required=True)
