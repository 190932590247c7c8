"""HTML forms in, the use cases' input out, validated by the API's own schemas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from ..clinic.client_list import Filters
from ..domain.errors import InvalidField
from ..domain.flags import FLAGS, TO_CALL
from ..domain.slots import check_waking_day
from ..schemas.clinic import ClientProfileSchema, NewClientSchema, SessionTimesSchema
from ..schemas.fields import CONTROL_CHARACTERS

PER_PAGE = 25
DEFAULT_HOURS = 4
NEW_CLIENT_SESSIONS = 3  # rows on the new-client form; more can be added on the client's page


def list_query(args: MultiDict) -> tuple[Filters, int]:
    """Filters and page number from the list's query string; anything odd is ignored.

    With no choice made the list shows who to call today; a search looks through everyone.
    """
    q = CONTROL_CHARACTERS.sub("", args.get("q") or "").strip()[:200] or None
    asked = args.get("flag")
    if asked is None or asked == "":
        flag = None if q else TO_CALL
    else:
        flag = asked if asked in FLAGS else None  # "all", or anything odd: everyone
    page = args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) <= 100_000 else 1
    return Filters(q=q, flag=flag), page


def session_times(form: MultiDict, zone: str, prefix: str = "") -> dict[str, datetime]:
    """{start, end} from a local start ("YYYY-MM-DDTHH:MM" in the client's zone) and hours."""
    start = _local(form.get(f"{prefix}start", ""), zone, f"{prefix}start")
    hours = _hours(form.get(f"{prefix}hours") or str(DEFAULT_HOURS), f"{prefix}hours")
    try:
        end = start + timedelta(hours=hours)
    except OverflowError:  # 9999-12-31T23:59 and a few hours: no such time
        message = "Must be between the years 2000 and 2100."
        raise ValidationError({f"{prefix}start": [message]}) from None
    return SessionTimesSchema().load({"start": start.isoformat(), "end": end.isoformat()})


def new_client(form: MultiDict, protocols: list[dict]) -> dict:
    """The new-client form as NewClientSchema's input: profile, the chosen protocol's answers
    and up to NEW_CLIENT_SESSIONS sessions (rows left blank are skipped)."""
    protocol_id = form.get("protocol_id", "")
    questions = next((p["questions"] for p in protocols if p["id"] == protocol_id), [])
    zone = form.get("timezone", "").strip()
    data = {
        "name": form.get("name", ""),
        "contact": form.get("contact", ""),
        "timezone": zone,
        "protocol_id": protocol_id,
        "answers": {
            q["id"]: form[f"answer-{protocol_id}-{q['id']}"]
            for q in questions
            if form.get(f"answer-{protocol_id}-{q['id']}")
        },
    }
    fields = NewClientSchema().load(data)
    fields["sessions"] = [
        session_times(form, fields["timezone"], f"session-{row}-")
        for row in range(NEW_CLIENT_SESSIONS)
        if form.get(f"session-{row}-start")
    ]
    return fields


PROFILE_LABELS = {
    "name": "Name",
    "contact": "Phone or email",
    "timezone": "Time zone",
    "wake": "Wakes at",
    "bed": "Goes to bed at",
    "answers": "Answers",
}


def profile_values(record: dict) -> dict[str, str]:
    """A client's record as the profile form's values."""
    values = {
        "name": record["name"],
        "contact": record["contact"] or "",
        "timezone": record["timezone"],
        "wake": record["wake"].strftime("%H:%M"),
        "bed": record["bed"].strftime("%H:%M"),
    }
    return values | {f"answer-{key}": value for key, value in record["answers"].items()}


def profile_labels(questions: list[dict]) -> dict[str, str]:
    return PROFILE_LABELS | {f"answer-{q['id']}": q["label"] for q in questions}


def client_profile(form: MultiDict, questions: list[dict]) -> dict:
    """The profile form as ClientProfileSchema's output; every problem at once, by form field
    (a ValidationError keyed "name", "answer-hair_length", "bed"...)."""
    data = {name: form.get(name, "") for name in ("name", "contact", "timezone", "wake", "bed")}
    if questions:
        data["answers"] = {q["id"]: form.get(f"answer-{q['id']}", "") for q in questions}
    errors: dict[str, list[str]] = {}
    try:
        fields = ClientProfileSchema().load(data)
    except ValidationError as error:
        errors, fields = field_errors(error), error.valid_data or {}
    for question in questions:
        chosen = form.get(f"answer-{question['id']}", "")
        if chosen not in {option["value"] for option in question["options"]}:
            errors.setdefault(f"answer-{question['id']}", ["Choose one of the options."])
    if "wake" in fields and "bed" in fields:
        try:
            check_waking_day(fields["wake"], fields["bed"])
        except ValueError as error:
            errors.setdefault("bed", []).append(str(error))
    if errors:
        raise ValidationError(errors)
    return fields


def field_errors(error: ValidationError | InvalidField) -> dict[str, list[str]]:
    """A refusal's messages by the profile form's field names (answers: "answer-<question>")."""
    if isinstance(error, InvalidField):
        return {error.field: [error.message]}
    found: dict[str, list[str]] = {}
    for field, messages in error.messages.items():
        if field == "answers" and isinstance(messages, dict):
            for question, problem in messages.items():
                found[f"answer-{question}"] = _flat(problem)
        else:
            found[field] = _flat(messages)
    return found


def names_match(typed: str, name: str) -> bool:
    """Whether the name typed to confirm a deletion is the client's, ignoring case and spacing."""
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold() != ""


def problems(error: ValidationError) -> list[str]:
    """A schema's complaints as sentences a clinician can act on."""
    found = []

    def walk(messages, field):
        if isinstance(messages, dict):
            for key, value in messages.items():
                walk(value, key if isinstance(key, str) else field)
        elif isinstance(messages, list):
            for message in messages:
                walk(message, field)
        else:
            found.append(f"{field.replace('_', ' ').capitalize()}: {messages}")

    walk(error.messages, "form")
    return found


def _flat(messages) -> list[str]:
    if isinstance(messages, dict):
        return [text for value in messages.values() for text in _flat(value)]
    if isinstance(messages, list):
        return [text for value in messages for text in _flat(value)]
    return [str(messages)]


def _local(text: str, zone: str, field: str) -> datetime:
    try:
        naive = datetime.strptime(text, "%Y-%m-%dT%H:%M")
    except ValueError:
        raise ValidationError({field: ["Give a date and a time."]}) from None
    moment = naive.replace(tzinfo=ZoneInfo(zone))
    try:
        back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    except OverflowError:  # the calendar's edge: the session range explains it later
        return moment
    if back.replace(tzinfo=None) != naive:
        # A wall time the clocks skip (spring forward): storing it would book the session an
        # hour off from what the clinic typed.
        message = (
            f"{naive:%H:%M} on {naive:%d %b %Y} does not exist in {zone}: the clocks go "
            f"forward then. Did you mean {back:%H:%M}?"
        )
        raise ValidationError({field: [message]})
    return moment


def _hours(text: str, field: str) -> float:
    try:
        hours = float(text)
    except ValueError:
        hours = 0
    if not 0.25 <= hours <= 24:
        raise ValidationError(
            {field: ["A session lasts between a quarter of an hour and 24 hours."]}
        )
    return hours
