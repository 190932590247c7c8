"""Why a client may need the clinic's attention: the list's flags and the numbers behind them.

clinic/adherence.py computes them in SQL; the list filters by their names.
"""

from __future__ import annotations

from datetime import timedelta

# Days 1 to 4 after a session (the day it ends is day 1): when a missed cleanse or balm
# harms healing most, so a miss then is worth a call.
CRITICAL_DAYS = 4
# A phone that has not synced for this long while tasks fell due may have been abandoned.
NO_SYNC_AFTER = timedelta(hours=48)

# name -> what the clinician sees.
FLAGS = {
    "needs_call": "Needs a call",
    "missed_critical": "Missed tasks on days 1 to 4",
    "no_sync": "No sync for 48 hours",
    "spacing": "Session booked too soon",
    "deletion_requested": "Asked to be deleted",
}
