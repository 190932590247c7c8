"""API shapes (marshmallow): validation and documentation only; no database, no request."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import available_timezones

from cryptography.hazmat.primitives.asymmetric import ec
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema
from marshmallow.validate import Regexp

from .domain.plan import MAX_SESSIONS
from .domain.sync import ACTIONS, MAX_BATCH
from .errors import ApiError


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(name: str) -> None:
    if name not in _zones():
        raise ValidationError("Not an IANA time zone name, such as Europe/London.")


# C0 and C1 controls (NUL too: PostgreSQL cannot store it), and the bidirectional overrides
# that can make a name read as another. No text field accepts them, except a password.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def no_control_characters(value: str) -> None:
    if has_control_characters(value):
        raise ValidationError("Must not contain control characters.")


class Text(fields.String):
    """Every string the API reads: no control characters, and the OpenAPI says so."""

    def __init__(self, validate=None, **kwargs) -> None:
        validators = [no_control_characters, *_as_list(validate)]
        metadata = kwargs.pop("metadata", {})
        if not any(isinstance(v, Regexp) for v in validators):  # that one is stricter
            metadata = {"pattern": f"^[^{CONTROL_CHARACTERS.pattern[1:-1]}]*$", **metadata}
        super().__init__(validate=validators, metadata=metadata, **kwargs)


def _as_list(validators) -> list:
    if validators is None:
        return []
    return list(validators) if isinstance(validators, list | tuple) else [validators]


class PlainText(Text):
    """One line of text a person typed: surrounding spaces trimmed, 1 to 200 characters."""

    def __init__(self, max_length: int = 200, min_length: int = 1, **kwargs) -> None:
        super().__init__(validate=validate.Length(min=min_length, max=max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def TimeZone(**kwargs) -> fields.String:
    """An IANA time zone name."""
    metadata = {"example": "Europe/London", **kwargs.pop("metadata", {})}
    return Text(validate=validate_timezone, metadata=metadata, **kwargs)


# --- Protocols ------------------------------------------------------------------------


class ProtocolSummarySchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    version = fields.String(required=True, metadata={"description": "The clinic's own label"})
    bundle_version = fields.String(required=True, metadata={"description": "Content hash"})
    summary = fields.String()


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


# --- The client and their plan ----------------------------------------------------------


class MeSchema(Schema):
    name = fields.String(required=True)
    clinic = fields.String(required=True, metadata={"description": "The clinic's name"})
    timezone = fields.String(required=True)
    wake = fields.String(required=True, metadata={"example": "07:00"})
    bed = fields.String(required=True, metadata={"example": "23:00"})
    protocol_id = fields.String(required=True)
    answers = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    deletion_requested_at = fields.DateTime(
        allow_none=True, metadata={"description": "When the client asked to be deleted"}
    )


HHMM = validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="Use 24-hour HH:MM, e.g. 07:30.")


class SettingsSchema(Schema):
    wake = Text(required=True, validate=HHMM, metadata={"example": "07:00"})
    bed = Text(required=True, validate=HHMM, metadata={"example": "23:00"})


class EnrollRequestSchema(Schema):
    code = Text(required=True, validate=validate.Length(min=1, max=200))
    label = PlainText(metadata={"description": "A name for this device"})


class EnrollResponseSchema(Schema):
    token = fields.String(
        required=True, metadata={"description": "Send as 'Authorization: Bearer'"}
    )
    client = fields.Nested(MeSchema, required=True)


class PlanSessionSchema(Schema):
    id = fields.String(required=True)
    number = fields.Integer(required=True)
    start = fields.String(required=True)
    end = fields.String(required=True)
    final = fields.Boolean(required=True)


class PlanOccurrenceSchema(Schema):
    id = fields.String(required=True)
    task = fields.String(required=True)
    date = fields.String(required=True)
    slot = fields.String(required=True)
    at = fields.String(required=True, metadata={"description": "Local time with offset"})
    due_end = fields.String(required=True)
    follows = fields.String(allow_none=True, required=True)
    optional = fields.Boolean(required=True)


class PlanWindowSchema(Schema):
    id = fields.String(required=True)
    start = fields.String(allow_none=True, required=True)
    end = fields.String(allow_none=True, required=True)


class PlanMilestoneSchema(Schema):
    restriction = fields.String(required=True)
    at = fields.String(required=True)
    date = fields.String(required=True)
    text = fields.String(required=True)


class PlanWarningSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    date = fields.String(allow_none=True, required=True)


class PlanSchema(Schema):
    version = fields.String(required=True)
    protocol_id = fields.String(required=True)
    bundle_version = fields.String(required=True)
    timezone = fields.String(required=True)
    wake = fields.String(required=True)
    bed = fields.String(required=True)
    answers = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    sessions = fields.List(fields.Nested(PlanSessionSchema), required=True)
    occurrences = fields.List(fields.Nested(PlanOccurrenceSchema), required=True)
    restrictions = fields.List(fields.Nested(PlanWindowSchema), required=True)
    milestones = fields.List(fields.Nested(PlanMilestoneSchema), required=True)
    cards = fields.List(fields.Nested(PlanWindowSchema), required=True)
    warnings = fields.List(fields.Nested(PlanWarningSchema), required=True)


# --- Sync -----------------------------------------------------------------------------


class EventSchema(Schema):
    id = fields.UUID(required=True, metadata={"description": "Made on the device"})
    occurrence = Text(required=True, validate=validate.Length(min=1, max=32))
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    at = fields.AwareDateTime(
        required=True, format="iso", metadata={"description": "Device time, RFC 3339 with offset"}
    )


class SyncRequestSchema(Schema):
    events = fields.List(
        fields.Nested(EventSchema), load_default=list, validate=validate.Length(max=MAX_BATCH)
    )
    cursor = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=100),
        metadata={"description": "From the previous response; omit on first sync"},
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


class RejectedSchema(Schema):
    id = fields.String(required=True)
    code = fields.String(required=True, metadata={"description": "conflict, unknown_occurrence"})
    reason = fields.String(required=True)


class StoredEventSchema(Schema):
    id = fields.String(required=True)
    occurrence = fields.String(required=True)
    action = fields.String(required=True)
    at = fields.String(required=True, metadata={"description": "As the device said it"})
    received_at = fields.String(required=True)


class SyncResponseSchema(Schema):
    accepted = fields.List(fields.String(), required=True)
    rejected = fields.List(fields.Nested(RejectedSchema), required=True)
    events = fields.List(fields.Nested(StoredEventSchema), required=True)
    cursor = fields.String(required=True)
    more = fields.Boolean(required=True, metadata={"description": "Sync again to pull the rest"})
    plan_version = fields.String(allow_none=True, required=True)


# --- The clinic ---------------------------------------------------------------------------

_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
# Sessions are real appointments: this keeps typos such as year 2206 out of plans.
SESSION_RANGE = validate.Range(
    min=datetime(2000, 1, 1, tzinfo=UTC),
    max=datetime(2100, 1, 1, tzinfo=UTC),
    error="Must be between the years 2000 and 2100.",
)
MAX_SESSION_LENGTH = timedelta(hours=24)


class ClockTime(fields.String):
    """A time of day on the client's clock, as 24-hour "HH:MM"."""

    def __init__(self, **kwargs) -> None:
        metadata = {"pattern": f"^{_CLOCK.pattern}$", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not _CLOCK.fullmatch(text):
            raise ValidationError('Use a 24-hour "HH:MM" time, such as 07:30.')
        return time(int(text[:2]), int(text[3:]))


# Far more questions than any protocol asks; a cap on what a request may make us validate.
MAX_ANSWERS = 50


def _at_most_answers(answers: dict) -> None:
    if len(answers) > MAX_ANSWERS:
        raise ValidationError(f"At most {MAX_ANSWERS} answers.")


def Answers(**kwargs) -> fields.Dict:
    """Answers to the protocol's questions, question id -> option value."""
    short = validate.Length(min=1, max=64)
    return fields.Dict(
        keys=Text(validate=short),
        values=Text(validate=short),
        # Not validate.Length, which the OpenAPI document would call a string's maxLength.
        validate=_at_most_answers,
        metadata={"maxProperties": MAX_ANSWERS},
        **kwargs,
    )


class SignInSchema(Schema):
    email = Text(required=True, validate=validate.Length(min=1, max=320))
    # Compared with a hash, never stored or shown: any character goes.
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class ClinicianSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True, metadata={"description": "admin or clinician"})
    clinic_id = fields.Integer(required=True)
    clinic = fields.String(required=True, metadata={"description": "The clinic's name"})


class SignedInSchema(Schema):
    clinician = fields.Nested(ClinicianSchema, allow_none=True, required=True)
    csrf_token = fields.String(
        required=True, metadata={"description": "Send as X-CSRFToken with every change"}
    )


class SessionTimesSchema(Schema):
    start = fields.AwareDateTime(
        required=True, validate=SESSION_RANGE, metadata={"description": "RFC 3339 with offset"}
    )
    end = fields.AwareDateTime(required=True, validate=SESSION_RANGE)

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
    answers = Answers()
    wake = ClockTime(metadata={"example": "07:00"})
    bed = ClockTime(metadata={"example": "23:00", "description": "May be after midnight"})


class NewClientSchema(ClientProfileSchema):
    name = PlainText(required=True)
    timezone = TimeZone(required=True)
    protocol_id = Text(required=True, validate=validate.Length(min=1, max=64))
    answers = Answers(load_default=dict)
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
    q = Text(validate=validate.Length(max=200), metadata={"description": "Part of a name"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class AdherenceSummarySchema(Schema):
    due_so_far = fields.Integer(
        required=True, metadata={"description": "Required task occurrences whose time is up"}
    )
    done = fields.Integer(required=True, metadata={"description": "Of those, how many are done"})
    adherence = fields.Float(
        allow_none=True, required=True, metadata={"description": "done / due_so_far"}
    )
    last_sync = fields.DateTime(allow_none=True, required=True)
    next_session = fields.DateTime(allow_none=True, required=True)
    last_session = fields.DateTime(allow_none=True, required=True)


class ClientListItemSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    protocol_id = fields.String(required=True)
    timezone = fields.String(required=True)
    summary = fields.Nested(AdherenceSummarySchema, required=True)


class ClientListSchema(Schema):
    clients = fields.List(fields.Nested(ClientListItemSchema), required=True)
    page = fields.Integer(required=True)
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


class LoggedEventSchema(Schema):
    event_id = fields.String(required=True)
    occurrence_id = fields.String(required=True)
    task_id = fields.String(allow_none=True, required=True)
    action = fields.String(required=True)
    device_at = fields.DateTime(required=True, metadata={"description": "As the device said it"})
    received_at = fields.DateTime(required=True)
    device_id = fields.Integer(allow_none=True, required=True)


class ClientProtocolSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(allow_none=True, required=True)
    bundle_version = fields.String(allow_none=True, required=True)


class ClientPlanSchema(Schema):
    version = fields.String(required=True)
    built_at = fields.DateTime(required=True)
    warnings = fields.List(fields.Nested(PlanWarningSchema), required=True)


class ClientSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    contact = fields.String(allow_none=True, required=True)
    timezone = fields.String(required=True)
    wake = ClockTime(required=True)
    bed = ClockTime(required=True)
    answers = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
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


class EnrollmentLinkSchema(Schema):
    code = fields.String(required=True, metadata={"description": "Shown once; only a hash is kept"})
    url = fields.String(required=True, metadata={"description": "Open on the client's phone"})
    expires_at = fields.DateTime(required=True)


class CreatedClientSchema(ClientSchema):
    enrollment = fields.Nested(EnrollmentLinkSchema, required=True)


# --- Push reminders -------------------------------------------------------------------


def _b64url_bytes(length: int, name: str):
    def check(value: str) -> bytes:
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        except (binascii.Error, ValueError):
            raise ValidationError(f"Not base64url: the browser's {name} key.") from None
        if len(raw) != length:
            raise ValidationError(f"Not a valid {name} key.")
        return raw

    return check


def _p256dh_point(value: str) -> None:
    # The browser's key must be a point on P-256: reminders are encrypted to it, and a key that
    # is not one would fail every send to this phone, out of sight, instead of here.
    raw = _b64url_bytes(65, "p256dh")(value)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        raise ValidationError("Not a valid p256dh key: not a point on the P-256 curve.") from None


class PushKeysSchema(Schema):
    p256dh = Text(required=True, validate=[validate.Length(max=200), _p256dh_point])
    auth = Text(required=True, validate=[validate.Length(max=100), _b64url_bytes(16, "auth")])


class PushSubscriptionSchema(Schema):
    """What the browser's PushSubscription.toJSON() gives."""

    endpoint = Text(required=True, validate=validate.Length(min=1, max=2048))
    keys = fields.Nested(PushKeysSchema, required=True)
    expirationTime = fields.Integer(allow_none=True, load_default=None)


class UnsubscribeSchema(Schema):
    endpoint = Text(required=True, validate=validate.Length(min=1, max=2048))


class VapidKeySchema(Schema):
    key = fields.String(required=True, metadata={"description": "applicationServerKey, base64url"})


class ReminderSettingsSchema(Schema):
    enabled = fields.Boolean(required=True)
    discreet = fields.Boolean(
        required=True, metadata={"description": "Neutral text on the lock screen"}
    )
    quiet_start = ClockTime(allow_none=True, load_default=None)
    quiet_end = ClockTime(allow_none=True, load_default=None)
    subscribed = fields.Boolean(dump_only=True, metadata={"description": "This device gets them"})


class SnoozedSchema(Schema):
    due_at = fields.DateTime(required=True)
    snoozes_left = fields.Integer(required=True)
