"""marshmallow schemas for protocol files: shape and meaning checks, no I/O."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.protocol import Anchor, Placement

SLUG = validate.Regexp(
    r"^[a-z0-9][a-z0-9_-]{0,62}$", error="use 1-63 lower-case letters, digits, '-' and '_'"
)
TEXT = validate.Length(min=1, max=2000)
TITLE = validate.Length(min=1, max=120)
MAX_DAYS = 400
# The categories the app draws an icon for (protocols/README.md).
UNDERSTOOD_CATEGORIES = frozenset(
    {"water", "touch", "products", "sweat", "exercise", "sun", "swimming", "shaving", "colouring"}
)


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


class WindowSchema(Schema):
    anchor = fields.String(required=True, validate=validate.OneOf([a.value for a in Anchor]))
    start = fields.Nested(BoundarySchema, required=True)
    end = fields.Nested(BoundarySchema)


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
    min = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=3))
    target = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=3))

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
    categories = fields.List(fields.String(validate=SLUG))
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


class RestrictionSchema(Schema):
    id = fields.String(required=True, validate=SLUG)
    title = fields.String(required=True, validate=TITLE)
    detail = _text(required=True)
    category = fields.String(required=True, validate=SLUG)
    windows = fields.List(
        fields.Nested(WindowSchema), required=True, validate=validate.Length(min=1)
    )
    lifted = fields.String(validate=TITLE)
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


class ProtocolSchema(Schema):
    id = fields.String(required=True, validate=SLUG)
    title = fields.String(required=True, validate=TITLE)
    version = fields.String(required=True, validate=validate.Length(min=1, max=40))
    source = _text(required=True)
    summary = _text()
    questions = fields.List(fields.Nested(QuestionSchema), required=True)
    tasks = fields.List(fields.Nested(TaskSchema), required=True)
    restrictions = fields.List(fields.Nested(RestrictionSchema), required=True)
    cards = fields.List(fields.Nested(CardSchema))
    spacing = fields.List(fields.Nested(SpacingSchema))

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
        """`supersedes` and `during` name restrictions of the file; `categories` are the
        app's or the file's own (a typo would silence the conflict check)."""
        errors: dict = {}
        rules = {r["id"]: r for r in data.get("restrictions", [])}
        categories = {r["category"] for r in rules.values()} | UNDERSTOOD_CATEGORIES
        for index, rule in enumerate(data.get("restrictions", [])):
            where, field = ["restrictions", index, "supersedes"], f"restriction {rule['id']!r}"
            for milder in rule.get("supersedes", []):
                if milder not in rules:
                    _add(errors, where, f"{field}: no restriction {milder!r}")
                elif milder == rule["id"]:
                    _add(errors, where, f"{field} cannot supersede itself")
                elif rules[milder]["category"] != rule["category"]:
                    _add(errors, where, f"{field}: {milder!r} is not in its category")
                elif rule["id"] in rules[milder].get("supersedes", []):
                    _add(errors, where, f"{field} and {milder!r} supersede each other")
        for index, task in enumerate(data.get("tasks", [])):
            field = f"task {task['id']!r}"
            for rid in task.get("during", []):
                if rid not in rules:
                    _add(errors, ["tasks", index, "during"], f"{field}: no restriction {rid!r}")
                elif rid in task.get("blocked_by", []):
                    _add(errors, ["tasks", index, "during"], f"{field} is blocked by {rid!r}")
            for category in task.get("categories", []):
                if category not in categories:
                    _add(
                        errors,
                        ["tasks", index, "categories"],
                        f"{field}: {category!r} is neither understood nor used by a restriction",
                    )
        if errors:
            raise ValidationError(errors)


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


def flatten_errors(messages, prefix: str = "") -> list[tuple[str, str]]:
    """marshmallow's nested error dict as (field path, reason) pairs, e.g. tasks[2].after."""
    if isinstance(messages, list):
        return [(prefix or "(file)", str(message)) for message in messages]
    pairs = []
    for key, value in messages.items():
        if key == "_schema":
            path = prefix or "(file)"
        elif isinstance(key, int):
            path = f"{prefix}[{key}]"
        else:
            path = f"{prefix}.{key}" if prefix else str(key)
        pairs += flatten_errors(value, path)
    return pairs
