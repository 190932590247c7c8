"""The audit log's filter form (a GET query) in, audit_log.Filters out, with each problem
by its field; a filter with a problem is left out rather than guessed."""

from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict

from ..clinic.audit_log import ACTIONS, FROM_THE_APP, Filters
from ..schemas.fields import CONTROL_CHARACTERS

NOT_A_DATE = "Not a date: use the date picker, or type it as 2026-03-25."


def audit_query(args: MultiDict, people: list) -> tuple[Filters, int, dict[str, str]]:
    """(filters, page number, {field: problem}) from the audit log's query string."""
    errors: dict[str, str] = {}
    person = args.get("person") or None
    if person not in {None, FROM_THE_APP, *(str(p.id) for p in people)}:
        errors["person"] = "No such person at this clinic."
        person = None
    client = CONTROL_CHARACTERS.sub("", args.get("client") or "").strip()[:200] or None
    action = args.get("action") or None
    if action is not None and action not in ACTIONS:
        errors["action"] = "No such action."
        action = None
    since, until = _day(args, "since", errors), _day(args, "until", errors)
    if since and until and until < since:
        errors["until"] = "The last day is before the first: swap them, or clear one."
        until = None
    number = args.get("page", "1")
    number = int(number) if number.isdigit() and 0 < int(number) <= 100_000 else 1
    return Filters(person, client, action, since, until), number, errors


def _day(args: MultiDict, name: str, errors: dict[str, str]) -> date | None:
    typed = (args.get(name) or "").strip()
    if not typed:
        return None
    try:
        day = date.fromisoformat(typed)
    except ValueError:
        day = None
    if day is None or len(typed) != 10 or not 2000 <= day.year <= 2100:
        errors[name] = NOT_A_DATE
        return None
    return day
