"""Protocol bundles as plans were built from them: kept forever, so old plans keep their texts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache

from ..domain.checkins import CHECKIN_TASK
from ..domain.errors import ProtocolUnavailable
from ..domain.protocol import Protocol
from ..extensions import db
from ..models import Client, ProtocolBundle
from ..models.upsert import insert
from .registry import Registry, to_domain
from .translations import localized

UNAVAILABLE = "The protocol this plan follows is not available on the server right now."


@lru_cache(maxsize=64)
def _protocol(version: str, language: str | None, content_json: str) -> Protocol:
    return to_domain(localized(json.loads(content_json), language))


def protocol_for(bundle: ProtocolBundle, language: str | None = None) -> Protocol:
    """The domain protocol of a stored bundle in `language` (None: the protocol's own; a text
    not translated stays in it), converted once per version and language."""
    return _protocol(bundle.version, language, json.dumps(bundle.content, sort_keys=True))


def task_titles(content: Mapping) -> dict[str, str]:
    """task id -> title, from a bundle's content, the check-in's included."""
    titles = {task["id"]: task["title"] for task in content.get("tasks", [])}
    if "checkin" in content:
        titles[CHECKIN_TASK] = content["checkin"]["title"]
    return titles


def pinned_bundle(client: Client, registry: Registry) -> ProtocolBundle:
    """The bundle the client's plan is built from: the one it was, unless the protocol changed.

    A clinic editing a protocol file must not silently rewrite a client's plan; a new client,
    or a client switched to another protocol, gets the current version; the clinic moves a
    client on explicitly (clinic/versions.py). ProtocolUnavailable when that protocol is not
    loaded.
    """
    if client.plan is not None:
        bundle = db.session.get(ProtocolBundle, client.plan.bundle_version)
        if bundle is not None and bundle.protocol_id == client.protocol_id:
            return bundle
    return newest_bundle(client.protocol_id, registry)


def newest_bundle(protocol_id: str, registry: Registry) -> ProtocolBundle:
    """The stored bundle of the protocol's version loaded now (stored on first use), for new
    clients and for clients the clinic moves on; ProtocolUnavailable when it is not loaded."""
    loaded = registry.get(protocol_id)
    if loaded is None:
        raise ProtocolUnavailable(UNAVAILABLE)
    bundle = db.session.get(ProtocolBundle, loaded.bundle_version)
    if bundle is None:
        # Two plans may be built at once from a protocol version nobody used yet: the first
        # insert wins, the other finds the row instead of failing on the key.
        db.session.execute(
            insert(ProtocolBundle)
            .values(
                version=loaded.bundle_version,
                protocol_id=loaded.protocol.id,
                content=dict(loaded.bundle),
            )
            .on_conflict_do_nothing(index_elements=["version"])
        )
        bundle = db.session.get(ProtocolBundle, loaded.bundle_version)
    return bundle
