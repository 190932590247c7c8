"""The client answers their protocol's questions from the app: the plan follows the answers.

Only the client knows how they wear their hair or whether they colour it; a question the clinic
left for them is drawn from its default until they answer (protocols/README.md). The calling
view commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ..clinic.audit import record_by_client
from ..domain.errors import InvalidField
from ..models import Client
from ..plans.bundles import pinned_bundle, protocol_for
from ..plans.registry import registry
from ..plans.store import rebuild
from .sync import lock_client


def answer(client_id: int, answers: Mapping[str, str], now: datetime) -> Client:
    """Set the given answers (the others stay) and rebuild the plan; occurrence ids stay.

    Sending the same answers again changes nothing: no rebuild, no audit entry. InvalidField
    on `answers` for a question the plan's protocol does not ask or an answer it does not offer.
    """
    # Under the client's row lock: two phones answering different questions at once both count.
    client = lock_client(client_id)
    protocol = protocol_for(pinned_bundle(client, registry()))
    before = dict(client.answers or {})
    try:
        after = protocol.merge_answers(before, answers)
    except ValueError as error:
        raise InvalidField("answers", str(error)) from None
    if after == before:
        return client
    client.answers = after
    rebuild(client, registry(), now)
    changed = sorted(key for key in after if before.get(key) != after[key])
    record_by_client("app.answers", client, {"questions": changed}, now=now)
    return client
