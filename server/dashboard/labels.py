"""The dashboard's words for the domain's names: flags, reasons and call outcomes.

The domain keeps English labels for the API and the CSVs' codes; the dashboard shows these,
in the page's language. A test checks both name the same keys.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..domain.flags import TO_CALL

FLAGS = {
    TO_CALL: _l("To call today"),
    "missed_critical": _l("Missed tasks on days 1 to 4"),
    "missed_before_session": _l("Missed tasks with a session in 3 days"),
    "spacing": _l("Sessions overlap or are too close"),
    "silent": _l("Phone silent while tasks fell due"),
    "no_sync": _l("No sync for 48 hours"),
    "expired": _l("Concerns that expired without a call"),
    "deletion_requested": _l("Asked to be deleted"),
}
OUTCOMES = {
    "called": _l("Called"),
    "left_message": _l("Left a message"),
    "no_answer": _l("No answer"),
    "not_needed": _l("No call needed"),
}
# A task's state on the client's page, with a sign that reads without colour.
TASK_STATES = {
    "done": _l("✓ done"),
    "missed": _l("✗ missed"),
    "open": _l("· to do"),
    "optional-not-done": _l("– not done (optional)"),  # noqa: RUF001 (a dash, as a sign)
    "not-shown": _l("– not on the phone in time"),  # noqa: RUF001
}
ROLES = {"admin": _l("admin"), "clinician": _l("clinician")}
