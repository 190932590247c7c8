"""Tenant isolation, in one place: a clinician sees their own clinic's clients and nothing else.

A client of another clinic is answered exactly like one that does not exist (404, not 403),
so ids do not reveal what other clinics hold.
"""

from __future__ import annotations

from flask import g, request
from flask_login import current_user
from sqlalchemy import Select, select

from ..domain.errors import NotFound, NotSignedIn, PasswordChangeRequired
from ..domain.wording import N_
from ..extensions import db
from ..models import Client, Clinician
from ..models.columns import valid_id


def current_clinician() -> Clinician:
    """The signed-in clinician; NotSignedIn for anyone else."""
    if not current_user.is_authenticated:
        raise NotSignedIn("Sign in first.")
    return current_user._get_current_object()


def require_clinician() -> None:
    """before_request hook for the clinic's blueprints: signed in with a password of their
    own, and the client is ours.

    The client in the URL is checked before the body is read, so another clinic's client
    answers 404 whatever the body holds.
    """
    if current_clinician().must_change_password:
        raise PasswordChangeRequired
    client_id = (request.view_args or {}).get("client_id")
    if client_id is not None:
        client_or_404(client_id)


def clinic_clients() -> Select[tuple[Client]]:
    """A select of the current clinician's clinic's clients; add filters, never remove this."""
    return select(Client).where(Client.clinic_id == current_clinician().clinic_id)


def client_or_404(client_id: int) -> Client:
    """One client of the current clinic; NotFound whether it is missing or another clinic's.

    Kept for the request: the check before the view and the view itself read it once.
    """
    found = g.setdefault("clients", {})
    if client_id not in found:
        found[client_id] = db.session.get(Client, client_id) if valid_id(client_id) else None
    client = found[client_id]
    if client is None or client.clinic_id != current_clinician().clinic_id:
        raise NotFound(N_("No such client."))
    return client
