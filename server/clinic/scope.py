"""Tenant isolation, in one place: a clinician sees their own clinic's clients and nothing else.

A client of another clinic is answered exactly like one that does not exist (404, not 403),
so ids do not reveal what other clinics hold.
"""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy import Select, select

from .errors import ApiError
from .extensions import db
from .models import Client, Clinician

# Ids beyond this are not in any table; refusing them early keeps PostgreSQL's integer
# columns from raising an out-of-range error on a hand-typed URL.
MAX_ID = 2**31 - 1


def current_clinician() -> Clinician:
    """The signed-in clinician, or a 401 for anyone else."""
    if not current_user.is_authenticated:
        raise ApiError(401, "unauthorized", "Sign in first.")
    return current_user._get_current_object()


def require_clinician() -> None:
    """before_request hook for the clinic's blueprints: signed in, and the client is ours.

    The client in the URL is checked before the body is read, so another clinic's client
    answers 404 whatever the body holds.
    """
    current_clinician()
    client_id = (request.view_args or {}).get("client_id")
    if client_id is not None:
        client_or_404(client_id)


def clinic_clients() -> Select[tuple[Client]]:
    """A select of the current clinician's clinic's clients; add filters, never remove this."""
    return select(Client).where(Client.clinic_id == current_clinician().clinic_id)


def client_or_404(client_id: int) -> Client:
    """One client of the current clinic, or 404 whether it is missing or another clinic's."""
    client = None
    if valid_id(client_id):
        client = db.session.scalar(clinic_clients().where(Client.id == client_id))
    if client is None:
        raise ApiError(404, "not_found", "No such client.")
    return client


def valid_id(value: int) -> bool:
    """Whether `value` can be a row id at all."""
    return 0 < value <= MAX_ID
