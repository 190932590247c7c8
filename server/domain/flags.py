"""The list's filters: who to call today, each reason to call, and facts worth a look.

Reasons are open concerns (domain/concerns.py); clinic/client_list.py filters by the names.
"""

from __future__ import annotations

from .concerns import KINDS, MISSED_BEFORE_SESSION, MISSED_CRITICAL, SCHEDULE, SILENT_PHONE

# The default view of the dashboard's list.
TO_CALL = "needs_call"
EVERYONE = "all"

# name -> what the clinician sees. The names are the API's too: keep them stable.
FLAGS = {
    TO_CALL: "To call today",
    "missed_critical": KINDS[MISSED_CRITICAL],
    "missed_before_session": KINDS[MISSED_BEFORE_SESSION],
    "spacing": KINDS[SCHEDULE],
    "silent": KINDS[SILENT_PHONE],
    "no_sync": "No sync for 48 hours",
    "expired": "Concerns that expired without a call",
    "deletion_requested": "Asked to be deleted",
}

# The flags that are reasons to call, with the concern kind each counts.
REASONS = {
    "missed_critical": MISSED_CRITICAL,
    "missed_before_session": MISSED_BEFORE_SESSION,
    "spacing": SCHEDULE,
    "silent": SILENT_PHONE,
}
