"""API shapes of the phone's reminders: its push subscription, preferences and snoozes."""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric import ec
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .fields import ClockTime, Text


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

    @validates_schema
    def both_or_neither(self, data, **_):
        if (data["quiet_start"] is None) != (data["quiet_end"] is None):
            raise ValidationError("Give both quiet-hours times, or neither.", "quiet_end")


class SnoozedSchema(Schema):
    due_at = fields.DateTime(required=True)
    snoozes_left = fields.Integer(required=True)
