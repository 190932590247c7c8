"""/api/v1/me/export and /api/v1/me/deletion-request: the client's own data, and its deletion."""

from flask import Response, stream_with_context

from .. import rate_limits
from ..clock import now
from ..extensions import db
from ..phone import my_data
from ..schemas.export import DeletionRequestSchema, ExportSchema
from ..schemas.streaming import json_chunks
from .blueprint import Blueprint
from .device_auth import authenticate_device, current_device
from .error_docs import errors

bp = Blueprint(
    "my_data", __name__, url_prefix="/api/v1/me", description="The client's data: export, deletion"
)
bp.before_request(authenticate_device)
SECURITY = [{"device_token": []}]


@bp.get("/export")
@rate_limits.limit_device_export
@bp.response(200, ExportSchema)
@errors(bp, "unauthorized", "rate_limited")
@bp.doc(security=SECURITY)
def export():
    """Everything stored about the client, as one JSON file to keep (sent as it is read)."""
    moment = now()
    data = my_data.export(current_device(), moment)
    db.session.commit()
    name = f"aftercue-my-data-{moment.date().isoformat()}.json"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    text = stream_with_context(json_chunks(ExportSchema(), data))
    return Response(text, mimetype="application/json", headers=headers)


@bp.post("/deletion-request")
@bp.response(200, DeletionRequestSchema)
@errors(bp, "unauthorized")
@bp.doc(security=SECURITY)
def request_deletion():
    """Ask the clinic to delete the client's data (within 30 days); asking again changes nothing."""
    status = my_data.request_deletion(current_device(), now())
    db.session.commit()
    return status
