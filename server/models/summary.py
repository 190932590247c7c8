"""A client's stored line in the clinic's list."""

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import UTCDateTime


class ClientSummary(db.Model):
    """A client's line in the clinic's list, as clinic/adherence.py computes it, and how long
    it holds.

    Stored so the list reads one page of an index, whatever the clinic's size
    (clinic/client_list.py; clinic/summaries.py keeps the rows current).
    A row is stale when an input changed (computed_at is NULL) or the clock reached
    refresh_after (a task fell due, a session began or came within 3 days, a concern
    expired, 48 hours passed without a sync).
    """

    __tablename__ = "client_summaries"
    __table_args__ = (
        Index("ix_client_summaries_refresh_after", "clinic_id", "refresh_after"),
        Index("ix_client_summaries_computed_at", "clinic_id", "computed_at"),
    )

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    sort_name: Mapped[str] = mapped_column(String(200))  # lower(name), as the database lowers
    due: Mapped[int] = mapped_column(default=0, server_default="0")
    done: Mapped[int] = mapped_column(default=0, server_default="0")
    adherence: Mapped[float | None] = mapped_column(Float)
    # adherence is NULL exactly when nothing is due: sorting on this first puts those last on
    # both databases (SQLite indexes cannot say NULLS LAST).
    nothing_due: Mapped[bool] = mapped_column(default=True, server_default="1")
    # Open concerns (clinic/concerns.py) by kind: what the clinic still has to act on.
    critical_missed: Mapped[int] = mapped_column(default=0, server_default="0")
    red_flags: Mapped[int] = mapped_column(default=0, server_default="0")  # check-ins
    before_session_missed: Mapped[int] = mapped_column(default=0, server_default="0")
    last_sync: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_session: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_session: Mapped[datetime | None] = mapped_column(UTCDateTime)
    no_sync: Mapped[bool] = mapped_column(default=False, server_default="0")  # the fact, 48 h
    spacing_too_short: Mapped[bool] = mapped_column(default=False, server_default="0")
    silent: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Any open concern: the client is on the list "to call today".
    needs_call: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The moment the values were computed for; NULL: an input changed since, recompute.
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first moment the values may change with the clock alone; NULL: never.
    refresh_after: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The list's order: who needs a call, red flags first, then most missed, least adherent, then
# by name.
Index(
    "ix_client_summaries_by_need",
    ClientSummary.clinic_id,
    ClientSummary.needs_call.desc(),
    ClientSummary.red_flags.desc(),
    ClientSummary.critical_missed.desc(),
    ClientSummary.nothing_due,
    ClientSummary.adherence,
    ClientSummary.sort_name,
    ClientSummary.client_id,
)

# The call list's counts per reason read only the clients to call, from this index alone.
Index(
    "ix_client_summaries_reasons",
    ClientSummary.clinic_id,
    ClientSummary.needs_call,
    ClientSummary.critical_missed,
    ClientSummary.before_session_missed,
    ClientSummary.spacing_too_short,
    ClientSummary.silent,
)
