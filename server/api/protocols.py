"""GET /api/v1/protocols: the protocol bundles the app shows texts from."""

import hashlib

from ..errors import ApiError
from ..extensions import db
from ..models import ProtocolBundle
from ..plans.registry import registry
from ..plans.translations import localized
from ..schemas.phone import BundleSchema, ProtocolListSchema, VersionQuerySchema
from .blueprint import Blueprint
from .caching import versioned_json
from .error_docs import errors
from .json_body import require_json_body

bp = Blueprint(
    "protocols", __name__, url_prefix="/api/v1/protocols", description="Protocol bundles"
)
bp.before_request(require_json_body)
LIST = ProtocolListSchema()


@bp.get("")
@bp.response(200, ProtocolListSchema)
@bp.alt_response(304, description="Not modified")
def list_protocols():
    """List the protocols this server offers."""
    loaded = list(registry())
    etag = hashlib.sha256("".join(item.bundle_version for item in loaded).encode()).hexdigest()
    return versioned_json(LIST.dump({"protocols": loaded}), etag[:16])


@bp.get("/<protocol_id>")
@bp.arguments(VersionQuerySchema, location="query", as_kwargs=True)
@bp.response(200, BundleSchema)
@bp.alt_response(304, description="Not modified")
@errors(bp, "not_found")
def get_protocol(protocol_id: str, version: str | None = None, language: str | None = None):
    """One protocol's bundle in `language`: the current one, or an earlier `version` a plan
    was built from."""
    if version is not None:
        stored = db.session.get(ProtocolBundle, version)
        if stored is None or stored.protocol_id != protocol_id:
            raise ApiError(404, "not_found", "No such protocol version.")
        content, bundle_version = stored.content, stored.version
    else:
        loaded = registry().get(protocol_id)
        if loaded is None:
            raise ApiError(404, "not_found", "No such protocol.")
        content, bundle_version = loaded.bundle, loaded.bundle_version
    bundle = localized(content, language)
    own = bundle["language"] == bundle["languages"][0]
    return versioned_json(
        bundle, bundle_version if own else f"{bundle_version}-{bundle['language']}"
    )
