"""marshmallow schemas for protocol files: shape and meaning checks, no I/O."""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.categories import CATEGORIES
from ..domain.checkins import CHECKIN_TASK, SCALE_MAX, SCALE_MIN, AnswerKind, Basis
from ..domain.protocol import Anchor, Boundary, BoundaryKind, Placement, WindowSpec
from ..domain.protocol_checks import answers_left_out, never_opens, never_overlap

SLUG = validate.Regexp(
    r"^[a-z0-9][a-z0-9_-]{0,62}$", error="use 1-63 lower-case letters, digits, '-' and '_'"
)
TEXT = validate.Length(min=1, max=2000)
TITLE = validate.Length(min=1, max=120)
MAX_DAYS = 400
LANGUAGE = validate.Regexp(
    r"^[a-z]{2,3}(-[A-Z]{2})?$", error="use a language code such as 'en', 'ar' or 'pt-BR'"
)


def _distinct(values: list) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("name each language once")


def _text(**kwargs) -> fields.String:
    return fields.String(validate=TEXT, **kwargs)


class BoundarySchema(Schema):
    at = fields.String(validate=validate.OneOf(["start", "end"]))
    hours = fields.Float(validate=validate.Range(min=0, max=MAX_DAYS * 24))
    hours_before = fields.Float(validate=validate.Range(min=0, max=MAX_DAYS * 24))
    day = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_DAYS))
    days_before = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_DAYS))

    @validates_schema
    def one_kind(self, data, **_):
        if len(data) != 1:
            raise ValidationError("give exactly one of at, hours, hours_before, day, days_before")


def window_spec(window: dict) -> WindowSpec:
    """A validated window as the domain's WindowSpec."""

    def boundary(raw: dict) -> Boundary:
        ((kind, value),) = raw.items()
        return Boundary(BoundaryKind(kind), value)

    end = boundary(window["end"]) if "end" in window else None
    return WindowSpec(Anchor(window["anchor"]), boundary(window["start"]), end)


class WindowSchema(Schema):
    anchor = fields.String(required=True, validate=validate.OneOf([a.value for a in Anchor]))
    start = fields.Nested(BoundarySchema, required=True)
    end = fields.Nested(BoundarySchema)

    @validates_schema
    def opens(self, data, **_):
        if {"anchor", "start"} <= data.keys() and (session := never_opens(window_spec(data))):
            raise ValidationError(
                "starts after it ends (for a session ending at "
                f"{session.end:%H:%M} it would never apply): check start and end"
            )


class OptionSchema(Schema):
    value = fields.String(required=True, validate=SLUG)
    label = fields.String(required=True, validate=TITLE)


class QuestionSchema(Schema):
    id = fields.String(required=True, validate=SLUG)
    label = fields.String(required=True, validate=TITLE)
    options = fields.List(
        fields.Nested(OptionSchema), required=True, validate=validate.Length(min=2)
    )
    default = fields.String(required=True)

    @validates_schema
    def default_is_an_option(self, data, **_):
        if data.get("default") not in {option["value"] for option in data.get("options", [])}:
            raise ValidationError("must be one of the options' values", "default")


# `when = { hair_length = ["shaved"] }`: the rule applies only for those answers.
Condition = fields.Dict(
    keys=fields.String(validate=SLUG),
    values=fields.List(fields.String(), validate=validate.Length(min=1)),
)


class PerDaySchema(Schema):
    min = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(
            min=0, max=3, error="use 0 to 3: the times a day the client must do it (0: optional)"
        ),
    )
    target = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(
            min=1, max=3, error="use 1 to 3: the times a day the task is offered"
        ),
    )

    @validates_schema
    def min_not_above_target(self, data, **_):
        if data.get("min", 0) > data.get("target", 3):
            raise ValidationError("must not be above target", "min")


class TaskSchema(Schema):
    id = fields.String(required=True, validate=SLUG)
    title = fields.String(required=True, validate=TITLE)
    how = _text(required=True)
    product = fields.String(validate=TITLE)
    windows = fields.List(
        fields.Nested(WindowSchema), required=True, validate=validate.Length(min=1)
    )
    placement = fields.String(validate=validate.OneOf([p.value for p in Placement]))
    per_day = fields.Nested(PerDaySchema)
    after = fields.String(validate=SLUG)
    blocked_by = fields.List(fields.String(validate=SLUG))
    min_gap_hours = fields.Float(validate=validate.Range(min=0.5, max=12))
    when = Condition
    optional = fields.Boolean(metadata={"description": "offered, never counted as missed"})
    # Overlaps the conflict check accepts: see ProtocolSchema.overlaps_resolve.
    categories = fields.List(
        fields.String(
            validate=validate.OneOf(
                list(CATEGORIES), error="unknown category {input!r}: use one of {choices}"
            )
        )
    )
    during = fields.List(fields.String(validate=SLUG))

    @validates_schema
    def placement_fits(self, data, **_):
        if any("end" not in window for window in data.get("windows", [])):
            raise ValidationError("every task window needs an end", "windows")
        if "after" in data:
            for key in ("placement", "per_day", "min_gap_hours"):
                if key in data:
                    raise ValidationError("a task with 'after' takes its slots from that task", key)
            return
        placement = data.get("placement")
        if placement is None:
            raise ValidationError("required unless the task has 'after'", "placement")
        per_day = data.get("per_day")
        if placement == Placement.MOMENT and per_day is not None:
            raise ValidationError("a moment task happens once per window", "per_day")
        if placement == Placement.SPREAD and per_day is None:
            raise ValidationError("required for placement 'spread'", "per_day")
        if placement in {"morning", "evening", "night"} and per_day and per_day["target"] != 1:
            raise ValidationError(
                f"placement '{placement}' is once a day: use target = 1", "per_day"
            )


# "Today" in each language protocols are written or translated in (a new language adds its
# word here): a `lifted` text ending in it repeats the date the app shows it under.
TODAY = {"en": "today", "es": "hoy", "ar": "اليوم"}


def date_at_the_end(text: str, language: str = "en") -> str | None:
    """Why a `lifted` text in `language` reads wrong under its date, or None."""
    word = TODAY.get(language)
    if word and re.search(rf"\b{word}\W*$", text, re.IGNORECASE):
        return (
            f"leave out {word!r} at the end: the app shows the date it lifts, "
            "so say only what the client may do again"
        )
    return None


def no_date_at_the_end(text: str) -> None:
    """The app says when a restriction lifts, under that date: "from today" would repeat it."""
    if problem := date_at_the_end(text):
        raise ValidationError(problem)


class RestrictionSchema(Schema):
    id = fields.String(required=True, validate=SLUG)
    title = fields.String(required=True, validate=TITLE)
    detail = _text(required=True)
    category = fields.String(
        required=True,
        validate=validate.OneOf(
            list(CATEGORIES), error="unknown category {input!r}: use one of {choices}"
        ),
    )
    windows = fields.List(
        fields.Nested(WindowSchema), required=True, validate=validate.Length(min=1)
    )
    lifted = fields.String(validate=[TITLE, no_date_at_the_end])
    when = Condition
    supersedes = fields.List(fields.String(validate=SLUG))

    @validates_schema
    def lifted_when_it_ends(self, data, **_):
        ends = any("end" in window for window in data.get("windows", []))
        if ends and "lifted" not in data:
            raise ValidationError("say what the client may do again when this ends", "lifted")


class CardSchema(Schema):
    id = fields.String(required=True, validate=SLUG)
    kind = fields.String(required=True, validate=validate.OneOf(["expect", "call_clinic", "info"]))
    title = fields.String(required=True, validate=TITLE)
    body = _text(required=True)
    windows = fields.List(fields.Nested(WindowSchema))
    when = Condition


class SpacingSchema(Schema):
    min_days = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=MAX_DAYS)
    )
    max_days = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_DAYS))
    note = _text(load_default="")
    when = Condition

    @validates_schema
    def ordered(self, data, **_):
        if data.get("max_days") is not None and data["max_days"] < data.get("min_days", 0):
            raise ValidationError("must not be below min_days", "max_days")


class CheckinQuestionSchema(Schema):
    id = fields.String(required=True, validate=SLUG)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in AnswerKind]))
    label = fields.String(required=True, validate=TITLE)
    options = fields.List(fields.Nested(OptionSchema), validate=validate.Length(min=2))

    @validates_schema
    def options_for_choices(self, data, **_):
        if data.get("kind") == AnswerKind.CHOICE and "options" not in data:
            raise ValidationError("a 'choice' question needs its options", "options")
        if data.get("kind") != AnswerKind.CHOICE and "options" in data:
            raise ValidationError("only a 'choice' question has options", "options")


class RedFlagSchema(Schema):
    id = fields.String(required=True, validate=SLUG)
    question = fields.String(required=True, validate=SLUG)
    answers = fields.List(fields.String(), validate=validate.Length(min=1))
    at_least = fields.Integer(
        strict=True,
        validate=validate.Range(
            min=SCALE_MIN + 1, max=SCALE_MAX, error=f"use {SCALE_MIN + 1} to {SCALE_MAX}"
        ),
    )
    from_day = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_DAYS))
    reason = fields.String(required=True, validate=TITLE)
    basis = fields.String(
        required=True,
        validate=validate.OneOf(
            [b.value for b in Basis], error="say what it rests on: 'guide' or 'wound_care'"
        ),
    )

    @validates_schema
    def one_test(self, data, **_):
        if ("answers" in data) == ("at_least" in data):
            raise ValidationError("give exactly one of answers (yes/no, choice) or at_least")


class CheckinSchema(Schema):
    title = fields.String(required=True, validate=TITLE)
    meanwhile = _text(required=True)
    placement = fields.String(
        required=True,
        validate=validate.OneOf(
            ["morning", "evening", "night"], error="once a day: morning, evening or night"
        ),
    )
    windows = fields.List(
        fields.Nested(WindowSchema), required=True, validate=validate.Length(min=1)
    )
    questions = fields.List(
        fields.Nested(CheckinQuestionSchema), required=True, validate=validate.Length(min=1)
    )
    red_flags = fields.List(fields.Nested(RedFlagSchema), load_default=list)

    @validates_schema
    def rules_resolve(self, data, **_):
        """Every red flag tests a question of the check-in, with answers that question gives."""
        errors: dict = {}
        if any("end" not in window for window in data.get("windows", [])):
            _add(errors, ["windows"], "every check-in window needs an end")
        for section in ("questions", "red_flags"):
            _unique_ids(data.get(section, []), section, errors)
        questions = {q["id"]: q for q in data.get("questions", [])}
        for index, flag in enumerate(data.get("red_flags", [])):
            where = ["red_flags", index]
            question = questions.get(flag.get("question"))
            if question is None:
                _add(errors, [*where, "question"], f"no check-in question {flag.get('question')!r}")
            elif question["kind"] == AnswerKind.SCALE:
                if "answers" in flag:
                    _add(errors, [*where, "answers"], "a 0-10 question is tested with at_least")
            elif "at_least" in flag:
                _add(errors, [*where, "at_least"], "only a 0-10 question is tested with at_least")
            else:
                takes = (
                    {"yes", "no"}
                    if question["kind"] == AnswerKind.YES_NO
                    else {o["value"] for o in question.get("options", [])}
                )
                for value in flag.get("answers", []):
                    if value not in takes:
                        _add(
                            errors,
                            [*where, "answers"],
                            f"{value!r} is not an answer of {question['id']!r} "
                            f"({', '.join(sorted(takes))})",
                        )
        if errors:
            raise ValidationError(errors)


class ProtocolSchema(Schema):
    id = fields.String(required=True, validate=SLUG)
    title = fields.String(required=True, validate=TITLE)
    version = fields.String(required=True, validate=validate.Length(min=1, max=40))
    source = _text(required=True)
    summary = _text()
    # The languages its texts come in, its own first; the others from overlay files beside it.
    languages = fields.List(
        fields.String(validate=LANGUAGE),
        validate=[validate.Length(min=1), _distinct],
        metadata={"description": "e.g. ['en', 'ar', 'es']: the file's own language first"},
    )
    questions = fields.List(fields.Nested(QuestionSchema), required=True)
    tasks = fields.List(fields.Nested(TaskSchema), required=True)
    restrictions = fields.List(fields.Nested(RestrictionSchema), required=True)
    cards = fields.List(fields.Nested(CardSchema))
    spacing = fields.List(fields.Nested(SpacingSchema))
    checkin = fields.Nested(CheckinSchema)

    @validates_schema
    def references_resolve(self, data, **_):
        errors: dict = {}
        for section in ("questions", "tasks", "restrictions", "cards"):
            _unique_ids(data.get(section, []), section, errors)
        questions = {q["id"]: {o["value"] for o in q["options"]} for q in data.get("questions", [])}
        tasks = {t["id"]: t for t in data.get("tasks", [])}
        restrictions = {r["id"] for r in data.get("restrictions", [])}
        for section in ("tasks", "restrictions", "cards", "spacing"):
            for index, item in enumerate(data.get(section, [])):
                for question, values in item.get("when", {}).items():
                    if question not in questions:
                        _add(errors, [section, index, "when", question], "no such question")
                    elif not set(values) <= questions[question]:
                        _add(
                            errors,
                            [section, index, "when", question],
                            "not one of that question's options",
                        )
        for index, task in enumerate(data.get("tasks", [])):
            if task.get("id") == CHECKIN_TASK:
                _add(errors, ["tasks", index, "id"], f"{CHECKIN_TASK!r} names the check-in")
            for blocker in task.get("blocked_by", []):
                if blocker not in restrictions:
                    _add(errors, ["tasks", index, "blocked_by"], f"no restriction {blocker!r}")
            if "after" in task:
                if task["after"] not in tasks:
                    _add(errors, ["tasks", index, "after"], f"no task {task['after']!r}")
                elif _cycles(task, tasks):
                    _add(errors, ["tasks", index, "after"], "tasks follow each other in a circle")
        if errors:
            raise ValidationError(errors)

    @validates_schema
    def overlaps_resolve(self, data, **_):
        """`supersedes` and `during` name restrictions of the file (the error's field names
        the item by id)."""
        errors: dict = {}
        rules = {r["id"]: r for r in data.get("restrictions", [])}
        for index, rule in enumerate(data.get("restrictions", [])):
            where = ["restrictions", index, "supersedes"]
            for milder in rule.get("supersedes", []):
                if milder not in rules:
                    _add(errors, where, f"no restriction {milder!r}")
                elif milder == rule["id"]:
                    _add(errors, where, "a restriction cannot supersede itself")
                elif rules[milder]["category"] != rule["category"]:
                    _add(errors, where, f"{milder!r} is not in its category")
                elif rule["id"] in rules[milder].get("supersedes", []):
                    _add(errors, where, f"it and {milder!r} supersede each other")
        for index, task in enumerate(data.get("tasks", [])):
            for rid in task.get("during", []):
                if rid not in rules:
                    _add(errors, ["tasks", index, "during"], f"no restriction {rid!r}")
                elif rid in task.get("blocked_by", []):
                    _add(errors, ["tasks", index, "during"], f"it is also blocked by {rid!r}")
        if errors:
            raise ValidationError(errors)

    @validates_schema
    def followers_meet_their_leaders(self, data, **_):
        """A follower is placed only beside its predecessor: where they never meet, it would
        silently vanish from the plan."""
        options = {
            q["id"]: frozenset(o["value"] for o in q["options"]) for q in data.get("questions", [])
        }
        tasks = {t["id"]: t for t in data.get("tasks", [])}
        errors: dict = {}
        for index, task in enumerate(data.get("tasks", [])):
            leader = tasks.get(task.get("after"))
            if leader is None or leader is task:
                continue
            left_out = answers_left_out(
                _condition(task.get("when", {})), _condition(leader.get("when", {})), options
            )
            if left_out:
                answers = "; ".join(
                    f"{question} = {', '.join(sorted(values))}"
                    for question, values in sorted(left_out.items())
                )
                _add(
                    errors,
                    ["tasks", index, "when"],
                    f"applies when {task['after']!r} does not ({answers}): it would never "
                    f"be placed then; give it {task['after']!r}'s condition or narrower",
                )
            windows = [window_spec(w) for w in task.get("windows", [])]
            if never_overlap([window_spec(w) for w in leader.get("windows", [])], windows):
                _add(
                    errors,
                    ["tasks", index, "windows"],
                    f"never overlap the windows of {task['after']!r}, which it follows: "
                    "it would never be placed",
                )
        if errors:
            raise ValidationError(errors)


def _condition(when: dict) -> dict[str, frozenset[str]]:
    return {question: frozenset(values) for question, values in when.items()}


def _unique_ids(items, section, errors) -> None:
    seen = set()
    for index, item in enumerate(items):
        if item.get("id") in seen:
            _add(errors, [section, index, "id"], f"duplicate id {item['id']!r}")
        seen.add(item.get("id"))


def _cycles(task, tasks) -> bool:
    seen = {task["id"]}
    while "after" in task and task["after"] in tasks:
        task = tasks[task["after"]]
        if task["id"] in seen:
            return True
        seen.add(task["id"])
    return False


def _add(errors: dict, path: list, message: str) -> None:
    node = errors
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node.setdefault(path[-1], []).append(message)


def flatten_errors(messages, data=None, prefix: str = "") -> list[tuple[str, str]]:
    """marshmallow's nested error dict as (field path, reason) pairs, e.g. tasks[2] (balm).after:
    an item of `data` (the file as read) with an id is named by it as well as by its index."""
    if isinstance(messages, list):
        return [(prefix or "(file)", str(message)) for message in messages]
    pairs = []
    for key, value in messages.items():
        inner = None
        if key == "_schema":
            path = prefix or "(file)"
            inner = data
        elif isinstance(key, int):
            item = data[key] if isinstance(data, list) and key < len(data) else None
            path = f"{prefix}[{key}]{item_name(item)}"
            inner = item
        else:
            path = f"{prefix}.{key}" if prefix else str(key)
            inner = data.get(key) if isinstance(data, dict) else None
        pairs += flatten_errors(value, inner, path)
    return pairs


def item_name(item) -> str:
    """' (balm)' for an item with an id, so a clinic finds it without counting; else ''."""
    name = item.get("id") if isinstance(item, dict) else None
    return f" ({name})" if isinstance(name, str) and name else ""
