"""What of their plan a client's phone has had: only a task a phone had when it fell due can
be missed (clinic/adherence.py), so one dated in the past by a correction never counts."""

from datetime import datetime

from sqlalchemy import update

from ..extensions import db
from ..models import PlanOccurrence


def delivered(client_id: int, now: datetime) -> None:
    """Record that a phone has the client's current plan: every active occurrence not yet
    delivered at its present times is delivered now. No summary goes stale: what this
    changes falls due later, when the line is recomputed anyway (summaries.py)."""
    db.session.execute(
        update(PlanOccurrence)
        .where(
            PlanOccurrence.client_id == client_id,
            PlanOccurrence.active.is_(True),
            PlanOccurrence.delivered_at.is_(None),
        )
        .values(delivered_at=now)
    )
