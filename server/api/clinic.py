"""/api/v1/clinic: the signed-in clinic's clients, their sessions, devices and enrollment."""

from ..clinic import client_list, client_record, clients, phones
from ..clinic.scope import require_clinician
from ..clock import now
from ..extensions import db
from ..schemas.clinic import (
    CancelledLinksSchema,
    ClientListQuerySchema,
    ClientListSchema,
    ClientProfileSchema,
    ClientSchema,
    CreatedClientSchema,
    DeviceSchema,
    EnrollmentLinkSchema,
    NewClientSchema,
    RevokeSchema,
    SessionTimesSchema,
)
from .blueprint import Blueprint
from .error_docs import CLINIC_CHANGE, CLINIC_READ, JSON_BODY, errors
from .json_body import require_json_body

bp = Blueprint("clinic", __name__, url_prefix="/api/v1/clinic", description="The clinic's clients")
bp.before_request(require_clinician)
bp.before_request(require_json_body)
SECURITY = [{"clinic_session": []}]
CLIENT = "/clients/<int:client_id>"


@bp.get("/clients")
@bp.arguments(ClientListQuerySchema, location="query")
@bp.response(200, ClientListSchema)
@errors(bp, *CLINIC_READ)
@bp.doc(security=SECURITY)
def list_clients(query):
    """The clinic's clients, who needs a call first; `q` searches names and contacts."""
    filters = client_list.Filters(query.get("q"), query.get("flag"))
    page = client_list.view_page(filters, query["page"], query["per_page"], now())
    db.session.commit()
    return page


@bp.post("/clients")
@bp.arguments(NewClientSchema)
@bp.response(201, CreatedClientSchema)
@errors(bp, *CLINIC_CHANGE, *JSON_BODY, "protocol_unavailable")
@bp.doc(security=SECURITY)
def create_client(body):
    """Add a client with their sessions; the response holds their first enrollment link."""
    client = clients.create(body, now())
    db.session.commit()
    return client


@bp.get(CLIENT)
@bp.response(200, ClientSchema)
@errors(bp, *CLINIC_READ, "not_found")
@bp.doc(security=SECURITY)
def get_client(client_id):
    """A client's record: profile, sessions, plan, adherence, devices and event log."""
    client = client_record.view(client_id, now())
    db.session.commit()
    return client


@bp.patch(CLIENT)
@bp.arguments(ClientProfileSchema)
@bp.response(200, ClientSchema)
@errors(bp, *CLINIC_CHANGE, "not_found", *JSON_BODY, "protocol_unavailable")
@bp.doc(security=SECURITY)
def update_client(body, client_id):
    """Change a client's profile; the plan is rebuilt and logged ticks are kept."""
    client = clients.update(client_id, body, now())
    db.session.commit()
    return client


@bp.post(f"{CLIENT}/sessions")
@bp.arguments(SessionTimesSchema)
@bp.response(201, ClientSchema)
@errors(bp, *CLINIC_CHANGE, "not_found", "too_many_sessions", *JSON_BODY, "protocol_unavailable")
@bp.doc(security=SECURITY)
def add_session(body, client_id):
    """Schedule another treatment session."""
    client = clients.add_session(client_id, body, now())
    db.session.commit()
    return client


@bp.patch(f"{CLIENT}/sessions/<int:session_id>")
@bp.arguments(SessionTimesSchema)
@bp.response(200, ClientSchema)
@errors(bp, *CLINIC_CHANGE, "not_found", *JSON_BODY, "protocol_unavailable")
@bp.doc(security=SECURITY)
def reschedule_session(body, client_id, session_id):
    """Move a treatment session."""
    client = clients.reschedule(client_id, session_id, body, now())
    db.session.commit()
    return client


@bp.delete(f"{CLIENT}/sessions/<int:session_id>")
@bp.response(200, ClientSchema)
@errors(bp, *CLINIC_CHANGE, "not_found", "protocol_unavailable")
@bp.doc(security=SECURITY)
def remove_session(client_id, session_id):
    """Cancel a session; one that has begun is a correction (its ticks stay stored)."""
    client = clients.remove_session(client_id, session_id, now())
    db.session.commit()
    return client


@bp.post(f"{CLIENT}/enrollment-codes")
@bp.response(201, EnrollmentLinkSchema)
@errors(bp, *CLINIC_CHANGE, "not_found")
@bp.doc(security=SECURITY)
def new_enrollment_code(client_id):
    """A new one-time link for the client's phone; the code is shown only now."""
    enrollment = phones.new_enrollment(client_id, now())
    db.session.commit()
    return enrollment


@bp.post(f"{CLIENT}/enrollment-codes/cancel")
@bp.response(200, CancelledLinksSchema)
@errors(bp, *CLINIC_CHANGE, "not_found")
@bp.doc(security=SECURITY)
def cancel_enrollment_codes(client_id):
    """Stop the client's unused enrollment links from working."""
    cancelled = phones.cancel_links(client_id, now())
    db.session.commit()
    return {"cancelled": cancelled}


@bp.post(f"{CLIENT}/devices/<int:device_id>/revoke")
@bp.arguments(RevokeSchema)
@bp.response(200, DeviceSchema)
@errors(bp, *CLINIC_CHANGE, "not_found", *JSON_BODY)
@bp.doc(security=SECURITY)
def revoke_device(body, client_id, device_id):
    """Disconnect one of the client's devices for good; its reminders stop at once."""
    device = phones.revoke_device(client_id, device_id, now(), cancel=body["cancel_links"])
    db.session.commit()
    return device
