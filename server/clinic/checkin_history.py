"""A client's check-ins by day, counted by the database: for the chart on the client's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import case, func, select

from ..domain.checkins import AnswerKind
from ..extensions import db
from ..models import CheckinAnswer, Photo, PlanOccurrence


@dataclass(frozen=True)
class CheckinDay:
    day: date  # the client's local date of the check-in
    day_number: int  # after the latest session
    highest: int | None  # the day's highest answer on the scale question (pain), if any
    red_flags: int  # check-ins that day that raised one
    count: int


def scale_question(bundle: dict) -> dict | None:
    """The check-in's first 0-10 question (pain), which the chart draws."""
    questions = (bundle.get("checkin") or {}).get("questions", [])
    return next((q for q in questions if q["kind"] == AnswerKind.SCALE), None)


def by_day(client_id: int, bundle: dict) -> list[CheckinDay]:
    """One line per day the client checked in, oldest first."""
    question = scale_question(bundle)
    highest = (
        func.max(CheckinAnswer.answers[question["id"]].as_integer()) if question else func.max(None)
    )
    rows = db.session.execute(
        select(
            PlanOccurrence.local_date,
            func.max(CheckinAnswer.day),
            highest,
            func.sum(case((CheckinAnswer.flagged.is_(True), 1), else_=0)),
            func.count(),
        )
        .join(
            PlanOccurrence,
            (PlanOccurrence.client_id == CheckinAnswer.client_id)
            & (PlanOccurrence.occurrence_id == CheckinAnswer.occurrence_id),
        )
        .where(CheckinAnswer.client_id == client_id)
        .group_by(PlanOccurrence.local_date)
        .order_by(PlanOccurrence.local_date)
    )
    return [CheckinDay(*row) for row in rows]


def photos_by_day(client_id: int) -> dict[date, list[UUID]]:
    """The photos the client added to a check-in, by the check-in's day (as by_day counts
    days), oldest first. A photo names its check-in as the phone wrote the id (text), the
    check-in keeps it as a UUID (stored differently by each database), so they meet here."""
    days = dict(
        db.session.execute(
            select(CheckinAnswer.checkin_id, PlanOccurrence.local_date)
            .join(
                PlanOccurrence,
                (PlanOccurrence.client_id == CheckinAnswer.client_id)
                & (PlanOccurrence.occurrence_id == CheckinAnswer.occurrence_id),
            )
            .where(CheckinAnswer.client_id == client_id)
        ).all()
    )
    photos = db.session.execute(
        select(Photo.photo_id, Photo.check_in_id)
        .where(Photo.client_id == client_id, Photo.check_in_id.is_not(None))
        .order_by(Photo.taken_at, Photo.id)
    )
    shown: dict[date, list[UUID]] = {}
    for photo_id, check_in_id in photos:
        day = days.get(UUID(check_in_id))
        if day is not None:  # its check-in not arrived yet, or refused: on the timeline only
            shown.setdefault(day, []).append(photo_id)
    return shown
