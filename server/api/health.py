"""Liveness check for load balancers and uptime monitors."""

from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answer that the process is up."""
    return {"status": "ok"}
