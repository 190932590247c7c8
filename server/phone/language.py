"""The client chooses the language of their plan's texts from the app.

Only the words change: the plan is rebuilt from the same protocol version, and occurrence ids
never depend on words, so every tick keeps its task. The calling view commits.
"""

from __future__ import annotations

from datetime import datetime

from ..clinic.audit import record_by_client
from ..models import Client
from ..plans.bundles import pinned_bundle
from ..plans.registry import registry
from ..plans.store import rebuild
from ..plans.translations import check_language, languages_of
from .sync import lock_client


def choose(client_id: int, language: str | None, now: datetime) -> Client:
    """Set the client's language (None: the protocol's own) and rebuild the plan.

    Choosing the same language again changes nothing: no rebuild, no audit entry.
    InvalidField on `language` for one the protocol does not offer.
    """
    client = lock_client(client_id)  # two phones choosing at once: one wins, whole
    before = client.language
    client.language = check_language(
        language, languages_of(pinned_bundle(client, registry()).content)
    )
    if client.language == before:
        return client
    rebuild(client, registry(), now)
    record_by_client("app.language", client, {"language": language, "was": before}, now=now)
    return client
