"""The clinic's use cases for its clients: add, edit, and their sessions (phones.py: phones).

Each works inside the signed-in clinician's clinic (clinic_scope), rebuilds the plan after a
change (logged events stay, tied to their occurrence ids) and leaves an audit entry. The
calling view commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..domain.course_limits import CourseLimits
from ..domain.errors import Conflict, InvalidField, NotFound
from ..domain.plan import MAX_SESSIONS
from ..domain.protocol import Protocol
from ..domain.wording import N_
from ..extensions import db
from ..models import Client, TreatmentSession
from ..models.columns import valid_id
from ..plans.bundles import pinned_bundle, protocol_for
from ..plans.registry import registry
from ..plans.store import check_day, rebuild
from ..plans.translations import check_language, default_language, languages_of
from . import audit, phones
from .client_record import describe
from .scope import client_or_404, current_clinician

TOO_MANY_SESSIONS = f"A client can have at most {MAX_SESSIONS} sessions."


def create(fields: dict[str, Any], now: datetime) -> dict:
    """A new client with sessions and a plan, and a first enrollment link for their phone."""
    loaded = registry().get(fields["protocol_id"])
    if loaded is None:
        raise InvalidField("protocol_id", N_("No such protocol."))
    if len(fields["sessions"]) > MAX_SESSIONS:
        raise InvalidField("sessions", TOO_MANY_SESSIONS)
    starts = [session["start"] for session in fields["sessions"]]
    course_limits().check(starts, starts, now, "sessions")
    clinician = current_clinician()
    client = Client(clinic_id=clinician.clinic_id, protocol_id=loaded.protocol.id, created_at=now)
    languages = languages_of(loaded.bundle)
    # Not chosen (left out of the API's body): the clinic's language, if the protocol has it.
    language = default_language(clinician.clinic.language, languages)
    _set_profile(
        client, {"answers": {}, "language": language, **fields}, loaded.protocol, languages
    )
    for session in fields["sessions"]:
        client.sessions.append(TreatmentSession(starts_at=session["start"], ends_at=session["end"]))
    db.session.add(client)
    _rebuild(client, now)
    enrollment = phones.link(client, now)
    detail = {"protocol_id": client.protocol_id, "sessions": len(fields["sessions"])}
    audit.record("client.create", client.id, detail, now=now)
    return {**describe(client, now), "enrollment": enrollment}


def update(client_id: int, fields: dict[str, Any], now: datetime) -> dict:
    """Change a client's profile and rebuild their plan.

    The record comes back with `changes`: {field: (before, after)} for each field whose value
    changed (the audit entry names them), so a person can be told what changed.
    """
    client = client_or_404(client_id)
    protocol, languages = None, []
    if "answers" in fields or "language" in fields:
        bundle = pinned_bundle(client, registry())
        protocol, languages = protocol_for(bundle), languages_of(bundle.content)
    before = _profile(client)
    _set_profile(client, fields, protocol, languages)
    after = _profile(client)
    changes = {name: (before[name], after[name]) for name in after if before[name] != after[name]}
    _rebuild(client, now)
    audit.record("client.update", client.id, {"fields": sorted(changes)}, now=now)
    return {**describe(client, now), "changes": changes}


def add_session(client_id: int, times: dict[str, datetime], now: datetime) -> dict:
    """Schedule one more treatment session."""
    client = client_or_404(client_id)
    if len(client.sessions) >= MAX_SESSIONS:
        raise Conflict("too_many_sessions", TOO_MANY_SESSIONS)
    others = [s.starts_at for s in client.sessions]
    course_limits().check([times["start"]], [*others, times["start"]], now, "start")
    session = TreatmentSession(starts_at=times["start"], ends_at=times["end"])
    client.sessions.append(session)
    _rebuild(client, now)
    audit.record("session.add", client.id, _session_detail(session), now=now)
    return {**describe(client, now), "session_id": session.id}


def reschedule(client_id: int, session_id: int, times: dict[str, datetime], now: datetime):
    """Move a treatment session."""
    client = client_or_404(client_id)
    session = _session_or_404(client, session_id)
    others = [s.starts_at for s in client.sessions if s is not session]
    course_limits().check([times["start"]], [*others, times["start"]], now, "start")
    before = _session_detail(session)
    session.starts_at, session.ends_at = times["start"], times["end"]
    _rebuild(client, now)
    detail = {**_session_detail(session), "was": before}
    audit.record("session.reschedule", client.id, detail, now=now)
    return describe(client, now)


def remove_session(client_id: int, session_id: int, now: datetime) -> dict:
    """Cancel a session. One that has begun is removed as it is moved: as a correction of
    the record (entered twice, or for the wrong client), its ticks stay stored, and what it
    brought that the phone never had counts against no one (clinic/adherence.py)."""
    client = client_or_404(client_id)
    session = _session_or_404(client, session_id)
    detail = {**_session_detail(session), "begun": session.starts_at <= now}
    client.sessions.remove(session)
    _rebuild(client, now)
    audit.record("session.remove", client.id, detail, now=now)
    return describe(client, now)


def make_final(client_id: int, session_id: int, now: datetime) -> dict:
    """Make a session the client's final one by cancelling every later session.

    The final session is simply the last one (the plan counts final-session care from it), so
    this is the only way to change it; a later session that has begun goes as remove_session
    lets it go.
    """
    client = client_or_404(client_id)
    session = _session_or_404(client, session_id)
    later = [s for s in client.sessions if (s.starts_at, s.id) > (session.starts_at, session.id)]
    for cancelled in later:
        client.sessions.remove(cancelled)
    _rebuild(client, now)
    detail = {**_session_detail(session), "removed": [_session_detail(s) for s in later]}
    audit.record("session.make_final", client.id, detail, now=now)
    return describe(client, now)


def session(client_id: int, session_id: int) -> TreatmentSession:
    """One of the client's sessions (NotFound for anyone else's)."""
    return _session_or_404(client_or_404(client_id), session_id)


def course_limits() -> CourseLimits:
    """This server's limits on sessions (SESSION_DAYS_BACK, SESSION_DAYS_AHEAD, COURSE_MAX_DAYS)."""
    config = current_app.config
    return CourseLimits(
        config["SESSION_DAYS_BACK"], config["SESSION_DAYS_AHEAD"], config["COURSE_MAX_DAYS"]
    )


# --- helpers -------------------------------------------------------------------------


def _profile(client: Client) -> dict[str, Any]:
    """The fields a clinic may change, by the names the API and forms give them."""
    return {
        "name": client.name,
        "contact": client.contact,
        "timezone": client.timezone,
        "language": client.language,
        "wake": client.wake_time,
        "bed": client.bed_time,
        "answers": dict(client.answers or {}),
    }


def _set_profile(
    client: Client, fields: dict[str, Any], protocol: Protocol | None, languages: list[str]
) -> None:
    """Apply the given profile fields (all of wake and bed for a new client); `languages`
    are those the client's protocol offers."""
    if "name" in fields:
        client.name = fields["name"]
    if "contact" in fields:
        client.contact = fields["contact"] or None
    if "timezone" in fields:
        client.timezone = fields["timezone"]
    if "wake" in fields:
        client.wake_time = fields["wake"]
    if "bed" in fields:
        client.bed_time = fields["bed"]
    if "language" in fields:
        client.language = check_language(fields["language"], languages)
    if "answers" in fields:
        try:
            # Only what was answered: the rest are the client's to answer in the app.
            client.answers = protocol.merge_answers(client.answers or {}, fields["answers"])
        except ValueError as error:
            raise InvalidField("answers", str(error)) from None
    check_day(client.wake_time, client.bed_time, "bed" if "bed" in fields else "wake")


def _rebuild(client: Client, now: datetime) -> None:
    db.session.flush()
    # Reload the sessions in start order: session numbers in the plan follow it.
    db.session.expire(client, ["sessions"])
    rebuild(client, registry(), now)


def _session_or_404(client: Client, session_id: int) -> TreatmentSession:
    session = None
    if valid_id(session_id):
        session = db.session.scalar(
            select(TreatmentSession).where(
                TreatmentSession.client_id == client.id, TreatmentSession.id == session_id
            )
        )
    if session is None:
        raise NotFound(N_("No such session."))
    return session


def _session_detail(session: TreatmentSession) -> dict:
    return {
        "session_id": session.id,
        "start": session.starts_at.isoformat(),
        "end": session.ends_at.isoformat(),
    }
