"""Field types every schema shares: text without control characters, zones, clock times."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from functools import cache
from zoneinfo import available_timezones

from marshmallow import ValidationError, fields, validate
from marshmallow.validate import Regexp


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(name: str) -> None:
    if name not in _zones():
        raise ValidationError("Not an IANA time zone name, such as Europe/London.")


# C0 and C1 controls (NUL too: PostgreSQL cannot store it), the bidirectional overrides that
# can make a name read as another, and lone surrogates (JSON can spell them, "\ud800", but no
# text holds one: it cannot be stored or hashed). No text field accepts them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
SURROGATES = re.compile(r"[\ud800-\udfff]")


def no_surrogates(value: str) -> None:
    """For a password: any character a person can type, but not half of one."""
    if SURROGATES.search(value):
        raise ValidationError("Must not contain lone surrogates.")


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


def Language(**kwargs) -> Text:
    """A language code, such as `ar` or `pt-BR`: one the client's protocol offers."""
    metadata = {
        "example": "es",
        "description": "One of the protocol's `languages`; null: the protocol's own",
        **kwargs.pop("metadata", {}),
    }
    return Text(
        validate=Regexp(
            r"^[a-z]{2,3}(-[A-Z]{2})?$", error="Must be a language code, such as 'ar'."
        ),
        allow_none=True,
        metadata=metadata,
        **kwargs,
    )


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


_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


class ClockTime(fields.String):
    """A time of day on the client's clock, as 24-hour "HH:MM", in and out."""

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


def storable(moment: datetime) -> None:
    """A moment that exists in UTC: 0001-01-01T00:30+01:00 is a valid date, but not there."""
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise ValidationError("Not a time that can be stored.") from None


class Instant(fields.DateTime):
    """A moment written to the millisecond with its offset: how the app and server exchange
    device times (a browser's clock has no finer grain)."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        return None if value is None else value.isoformat(timespec="milliseconds")


# Far more questions than any protocol asks; a cap on what a request may make us validate.
MAX_ANSWERS = 50


def _at_most_answers(answers: dict) -> None:
    if len(answers) > MAX_ANSWERS:
        raise ValidationError(f"At most {MAX_ANSWERS} answers.")


def Answers(*, unanswering: bool = False, **kwargs) -> fields.Dict:
    """Answers to the protocol's questions, question id -> option value (or, `unanswering`,
    null: the question is the client's to answer again)."""
    short = validate.Length(min=1, max=64)
    metadata = {"maxProperties": MAX_ANSWERS, **kwargs.pop("metadata", {})}
    return fields.Dict(
        keys=Text(validate=short),
        values=Text(validate=short, allow_none=unanswering),
        # Not validate.Length, which the OpenAPI document would call a string's maxLength.
        validate=_at_most_answers,
        metadata=metadata,
        **kwargs,
    )
