"""A reason to call in the page's language: the domain's sentence (domain/concerns.py)
translated, its dates written by Babel, the plan's warnings in it translated too
(dashboard/plan_warnings.py) and its protocol texts marked as the protocol's."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..domain.concerns import Concern, PlanWords, ScheduleWords, Tasks, sentence
from .formatting import on, wall
from .plan_warnings import warning_text

SLOTS = {
    "morning": _l("morning"),
    "midday": _l("midday"),
    "evening": _l("evening"),
    "night": _l("night"),
}


def reason(concern: Concern) -> Markup:
    """The concern's sentence, translated, with each value written for this page."""
    said = sentence(concern)
    # The translation is escaped as text; each value is escaped, or markup made below.
    return escape(_(said.message)) % {name: _shown(value) for name, value in said.values.items()}


def listed(items: list[Markup]) -> Markup:
    """ "a", "a and b", "a, b and c", in the page's language."""
    said = items[0]
    for item in items[1:-1]:
        said = escape(_("%(list)s, %(item)s")) % {"list": said, "item": item}
    if len(items) > 1:
        said = escape(_("%(list)s and %(item)s")) % {"list": said, "item": items[-1]}
    return said


def _shown(value: object) -> object:
    if isinstance(value, Tasks):
        titles = [
            Markup('“<span data-source="protocol">{}</span>”').format(title)
            for title in value.titles
        ]
        tasks = listed(titles) if titles else escape(_("a task"))
        if value.slot is None:
            return tasks
        return escape(_("%(tasks)s (%(slot)s)")) % {"tasks": tasks, "slot": SLOTS[value.slot]}
    if isinstance(value, ScheduleWords):
        return Markup(" ").join(warning_text(warning) for warning in value.warnings)
    if isinstance(value, PlanWords):  # English, and marked so
        return Markup('<span lang="en">{}</span>').format(value.text)
    if isinstance(value, datetime):
        return Markup('<time datetime="{}">{}</time>').format(
            value.isoformat(), wall(value, "day_time")
        )
    if isinstance(value, date):
        return on(value, "day")
    return value
