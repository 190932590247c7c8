"""HTML forms in, the use cases' input out, validated by the API's own schemas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from ..clinic.client_list import Filters
from ..domain.course_limits import CourseLimits, check_not_past
from ..domain.errors import DomainError, InvalidField
from ..domain.flags import FLAGS, TO_CALL
from ..domain.slots import check_waking_day
from ..plans.translations import default_language
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


# A session form's fields (named alike in every session form) as a person names them.
SESSION_FIELDS = {"start": "start", "hours": "hours", "happened": "already happened"}


def session_times(
    form: MultiDict,
    zone: str,
    now: datetime,
    limits: CourseLimits,
    prefix: str = "",
    was: datetime | None = None,
) -> dict[str, datetime]:
    """{start, end} from a local start ("YYYY-MM-DDTHH:MM" in the client's zone) and hours;
    a ValidationError names every problem by the form's fields (`prefix`start, `prefix`hours).

    `was` is the session's start before a reschedule: a past session may keep it."""
    errors: dict[str, list[str]] = {}
    start = hours = None
    try:
        start = _local(form.get(f"{prefix}start", ""), zone, f"{prefix}start")
    except ValidationError as error:
        errors.update(error.messages)
    try:
        hours = _hours(form.get(f"{prefix}hours") or str(DEFAULT_HOURS), f"{prefix}hours")
    except ValidationError as error:
        errors.update(error.messages)
    if start is not None:
        try:
            happened = form.get(f"{prefix}happened") == "yes"
            limits.check([start], [start], now, f"{prefix}start")  # first: a typo'd year
            check_not_past(start, now, f"{prefix}start", happened=happened, was=was)
        except InvalidField as error:
            errors[error.field] = [error.message]
    if errors:
        raise ValidationError(errors)
    try:
        end = start + timedelta(hours=hours)
    except OverflowError:  # 9999-12-31T23:59 and a few hours: no such time
        message = "Must be between the years 2000 and 2100."
        raise ValidationError({f"{prefix}start": [message]}) from None
    try:
        return SessionTimesSchema().load({"start": start.isoformat(), "end": end.isoformat()})
    except ValidationError as error:  # the schema's "end" is the form's hours
        names = {"start": f"{prefix}start", "end": f"{prefix}hours"}
        raise ValidationError(
            {names.get(key, key): _flat(value) for key, value in error.messages.items()}
        ) from None


def session_errors(error: ValidationError | DomainError, prefix: str) -> dict[str, list[str]]:
    """A refused session form's problems by the ids of its fields (`prefix`start...); a
    refusal of the whole change (too many sessions) is put beside the start."""
    if isinstance(error, ValidationError):
        found = {name: _flat(value) for name, value in error.messages.items()}
    elif isinstance(error, InvalidField) and error.field in SESSION_FIELDS:
        found = {error.field: [error.message]}
    else:
        found = {"start": [error.message]}
    return {prefix + name: messages for name, messages in found.items()}


def session_labels(sessions: list[dict]) -> dict[str, str]:
    """The client page's session fields by id, as a person names them: "Session 2 start"."""
    labels = {f"new-session-{name}": f"New session {said}" for name, said in SESSION_FIELDS.items()}
    for session in sessions:
        for name, said in SESSION_FIELDS.items():
            labels[f"session-{session['id']}-{name}"] = f"Session {session['number']} {said}"
    return labels


def new_client(form: MultiDict, protocols: list[dict], now: datetime, limits: CourseLimits) -> dict:
    """The new-client form as NewClientSchema's input: profile, the chosen protocol's answers
    and up to NEW_CLIENT_SESSIONS sessions (rows left blank are skipped). A ValidationError
    names every problem at once, by the form's field names ("name", "session-1-start")."""
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
        # Each protocol's fieldset has its own select; "" is the protocol's own language.
        "language": form.get(f"language-{protocol_id}") or None,
    }
    errors: dict[str, list[str]] = {}
    try:
        fields = NewClientSchema().load(data)
    except ValidationError as error:
        fields = error.valid_data or {}
        for name, messages in field_errors(error).items():
            question = name.removeprefix("answer-")
            if name == "language":
                name = question = f"language-{protocol_id}"
            errors[f"answer-{protocol_id}-{question}" if question != name else name] = messages
    if protocols and protocol_id not in {p["id"] for p in protocols}:
        errors.setdefault("protocol_id", ["Choose one of the protocols."])
    fields["sessions"] = []
    for row in range(NEW_CLIENT_SESSIONS):
        if not form.get(f"session-{row}-start") or "timezone" not in fields:
            continue  # a blank row, or no zone to read its time in (said beside the zone)
        try:
            times = session_times(form, fields["timezone"], now, limits, f"session-{row}-")
        except ValidationError as error:
            errors.update(error.messages)
        else:
            fields["sessions"].append(times)
    if errors:
        raise ValidationError(errors)
    return fields


def new_client_defaults(protocols: list[dict], clinic_language: str) -> MultiDict:
    """A blank new-client form: each protocol's language select on the clinic's language,
    where the protocol has it (else on the protocol's own, the select's first choice)."""
    return MultiDict(
        {
            f"language-{p['id']}": language
            for p in protocols
            if (language := default_language(clinic_language, p["languages"]))
        }
    )


def new_client_labels(protocols: list[dict]) -> dict[str, str]:
    """The new-client form's fields as the form labels them, for its list of problems."""
    labels = {**PROFILE_LABELS, "protocol_id": "Protocol", "sessions": "Sessions"}
    for row in range(NEW_CLIENT_SESSIONS):
        labels[f"session-{row}-start"] = f"Session {row + 1} start"
        labels[f"session-{row}-hours"] = f"Session {row + 1} hours"
    for protocol in protocols:
        labels[f"language-{protocol['id']}"] = "Language of the client's plan"
        for question in protocol["questions"]:
            labels[f"answer-{protocol['id']}-{question['id']}"] = question["label"]
    return labels


PROFILE_LABELS = {
    "name": "Name",
    "contact": "Phone or email",
    "timezone": "Time zone",
    "wake": "Wakes at",
    "bed": "Goes to bed at",
    "answers": "Answers",
    "language": "Language of the client's plan",
}


def profile_values(record: dict) -> dict[str, str]:
    """A client's record as the profile form's values."""
    values = {
        "name": record["name"],
        "contact": record["contact"] or "",
        "timezone": record["timezone"],
        "wake": record["wake"].strftime("%H:%M"),
        "bed": record["bed"].strftime("%H:%M"),
        "language": record["language"] or "",
    }
    return values | {f"answer-{key}": value for key, value in record["answers"].items()}


def profile_labels(questions: list[dict]) -> dict[str, str]:
    return PROFILE_LABELS | {f"answer-{q['id']}": q["label"] for q in questions}


def client_profile(form: MultiDict, questions: list[dict]) -> dict:
    """The profile form as ClientProfileSchema's output; every problem at once, by form field
    (a ValidationError keyed "name", "answer-hair_length", "bed"...)."""
    data = {name: form.get(name, "") for name in ("name", "contact", "timezone", "wake", "bed")}
    if questions:
        data["answers"] = _changed_answers(form, questions)
    if "language" in form:  # shown only for a protocol in several languages
        data["language"] = form["language"] or None
    errors: dict[str, list[str]] = {}
    try:
        fields = ClientProfileSchema().load(data)
    except ValidationError as error:
        errors, fields = field_errors(error), error.valid_data or {}
    for question in questions:
        chosen = form.get(f"answer-{question['id']}", "")
        if chosen and chosen not in {option["value"] for option in question["options"]}:
            errors.setdefault(f"answer-{question['id']}", ["Choose one of the options."])
    if "wake" in fields and "bed" in fields:
        try:
            check_waking_day(fields["wake"], fields["bed"])
        except ValueError as error:
            errors.setdefault("bed", []).append(error.args[0])  # a Said: the page translates it
    if errors:
        raise ValidationError(errors)
    return fields


def _changed_answers(form: MultiDict, questions: list[dict]) -> dict[str, str | None]:
    """The answers the clinician changed on the form, "Ask the client" (empty) as None.

    Each select carries the answer it was drawn with ("answer-<id>-shown"): one left as it was
    is not sent, so an answer the client gave in the app since the page was drawn stays.
    """
    changed = {}
    for question in questions:
        name = f"answer-{question['id']}"
        chosen = form.get(name, "")
        if form.get(f"{name}-shown") != chosen:
            changed[question["id"]] = chosen or None
    return changed


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
