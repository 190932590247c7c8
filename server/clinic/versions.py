"""Protocol versions: which version each of the clinic's clients follows, and moving clients
onto the newest one.

A plan stays on the protocol version it was built from (plans/bundles.py), so a corrected file
changes nothing for enrolled clients until an admin moves them: their plan is rebuilt from the
newest version, ticks stay attached (an occurrence's id does not depend on the version), and
each client moved leaves an audit entry saying from which version to which.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select, update

from ..domain.errors import Conflict, NotFound
from ..domain.protocol_changes import protocol_changes
from ..domain.wording import N_
from ..extensions import db
from ..models import Client, Clinic, Plan, ProtocolBundle
from ..plans.bundles import newest_bundle
from ..plans.registry import registry
from ..plans.store import rebuild
from . import audit
from .scope import clinic_clients
from .staff import require_admin

CHANGED_AGAIN = "The protocol file changed again since this page was shown: look at it again."


@dataclass(frozen=True)
class Version:
    """One version of a protocol, as the clinic sees it, and how many of its clients follow it."""

    bundle_version: str
    label: str  # the file's own `version`
    clients: int
    newest: bool
    changes: tuple[str, ...] = ()  # what moving to the newest version changes, in words


@dataclass(frozen=True)
class ProtocolVersions:
    """One protocol as the Protocols page shows it."""

    protocol_id: str
    title: str
    newest: Version | None  # None: the protocol is not loaded now
    versions: list[Version]  # the versions the clinic's clients follow, the newest first


def overview() -> list[ProtocolVersions]:
    """Each protocol offered or followed, its newest version and the clinic's clients per
    version (counted by the database); the protocols the clinic uses first, then by title."""
    clinic_id = require_admin().clinic_id
    protocols = registry()
    protocols.refresh(force=True)  # the admin sees what this request would move them to
    newest = {loaded.protocol.id: loaded for loaded in protocols}
    titles = {protocol_id: loaded.bundle["title"] for protocol_id, loaded in newest.items()}
    followed: dict[str, list[Version]] = {}
    for protocol_id, version, label, title, count in _counted(clinic_id):
        titles.setdefault(protocol_id, title)
        on_newest = protocol_id in newest and newest[protocol_id].bundle_version == version
        followed.setdefault(protocol_id, []).append(Version(version, label, count, on_newest))
    older = _contents([v.bundle_version for vs in followed.values() for v in vs if not v.newest])
    order = sorted(titles, key=lambda key: (key not in followed, titles[key], key))
    return [
        _described(key, titles[key], newest.get(key), followed.get(key, []), older) for key in order
    ]


def _counted(clinic_id: int):
    """(protocol, bundle version, its label, its title, clients) for the clinic's plans."""
    return db.session.execute(
        select(
            ProtocolBundle.protocol_id,
            ProtocolBundle.version,
            ProtocolBundle.content["version"].as_string(),
            ProtocolBundle.content["title"].as_string(),
            func.count(Plan.client_id),
        )
        .join(Plan, Plan.bundle_version == ProtocolBundle.version)
        .join(Client, Client.id == Plan.client_id)
        .where(Client.clinic_id == clinic_id)
        .group_by(ProtocolBundle.protocol_id, ProtocolBundle.version)
        .order_by(func.min(ProtocolBundle.created_at).desc())
    ).all()


def _contents(versions: list[str]) -> dict[str, dict]:
    query = select(ProtocolBundle.version, ProtocolBundle.content)
    return dict(db.session.execute(query.where(ProtocolBundle.version.in_(versions))).all())


def _described(protocol_id, title, loaded, versions: list[Version], contents) -> ProtocolVersions:
    """One protocol: its newest version, and what moving from each older one to it changes."""
    if loaded is None:
        return ProtocolVersions(protocol_id, title, None, versions)
    versions = sorted(
        (
            v
            if v.newest
            else replace(
                v, changes=tuple(protocol_changes(contents[v.bundle_version], loaded.bundle))
            )
            for v in versions
        ),
        key=lambda v: not v.newest,
    )
    current = next((v for v in versions if v.newest), None)
    current = current or Version(loaded.bundle_version, loaded.bundle["version"], 0, True)
    return ProtocolVersions(protocol_id, title, current, versions)


def behind() -> dict[str, list[tuple[int, str, str]]]:
    """The clinic's clients not on their protocol's newest version, by protocol: (id, name,
    bundle version), by name, in one query."""
    clinic_id = require_admin().clinic_id
    newest = [loaded.bundle_version for loaded in registry()]
    rows = db.session.execute(
        select(Client.protocol_id, Client.id, Client.name, Plan.bundle_version)
        .join(Plan, Plan.client_id == Client.id)
        .where(Client.clinic_id == clinic_id, Plan.bundle_version.not_in(newest))
        .order_by(func.lower(Client.name), Client.id)
    ).all()
    by_protocol: dict[str, list[tuple[int, str, str]]] = {}
    for protocol_id, client_id, name, bundle_version in rows:
        by_protocol.setdefault(protocol_id, []).append((client_id, name, bundle_version))
    return by_protocol


def move(
    protocol_id: str,
    to_version: str,
    now: datetime,
    client_ids: Collection[int] = (),
    from_version: str | None = None,
) -> int:
    """Move the chosen clients (or every one on `from_version`) to the protocol's newest
    version, which must be `to_version`, the one the admin was shown; how many moved.

    NotFound when a chosen client is not the clinic's or not on this protocol; clients
    already on the newest version are left as they are.
    """
    clinic_id = require_admin().clinic_id
    protocols = registry()
    protocols.refresh(force=True)
    bundle = newest_bundle(protocol_id, protocols)
    if bundle.version != to_version:
        raise Conflict("protocol_changed", CHANGED_AGAIN)
    chosen = clinic_clients().join(Plan).where(Client.protocol_id == protocol_id)
    if from_version is not None:
        chosen = chosen.where(Plan.bundle_version == from_version)
    else:
        ids = set(client_ids)
        chosen = chosen.where(Client.id.in_(ids))
    _one_move_at_a_time(clinic_id)
    fresh = chosen.order_by(Client.id).execution_options(populate_existing=True)
    clients = db.session.scalars(fresh).all()
    if from_version is None and len(clients) != len(ids):
        raise NotFound(N_("No such client."))
    moved = 0
    for client in clients:
        before = db.session.get(ProtocolBundle, client.plan.bundle_version)
        if before.version == bundle.version:
            continue
        rebuild(client, protocols, now, bundle=bundle)
        detail = {  # (from, to), as other changes are recorded
            "protocol_id": protocol_id,
            "version": [before.content.get("version"), bundle.content.get("version")],
            "bundle": [before.version, bundle.version],
        }
        audit.record("client.protocol_version", client.id, detail, now=now)
        moved += 1
    return moved


def _one_move_at_a_time(clinic_id: int) -> None:
    """Take the clinic's row lock until the transaction ends, before reading whom to move.

    Two admins moving the same clients at once take turns, and the second finds them moved
    already. A no-op UPDATE locks the row on PostgreSQL and takes SQLite's write lock at once
    (extensions.py), where SELECT ... FOR UPDATE would lock nothing.
    """
    db.session.execute(update(Clinic).where(Clinic.id == clinic_id).values(name=Clinic.name))


def problems() -> list[str]:
    """What is wrong in the protocol files now; a broken file's last good version is offered."""
    require_admin()
    return [str(error) for error in registry().errors]
