"""Shared ways to build plans from the real protocol files in tests."""

from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from server.domain.plan import Plan, Profile, build_plan
from server.domain.timeline import Session
from server.plans.registry import LoadedProtocol, load_file

PROTOCOLS = Path(__file__).parents[2] / "protocols"
# Protocol files, not their translations (`<id>.<language>.toml`).
PROTOCOL_IDS = sorted(path.stem for path in PROTOCOLS.glob("*.toml") if "." not in path.stem)


@cache
def loaded(protocol_id: str) -> LoadedProtocol:
    return load_file(PROTOCOLS / f"{protocol_id}.toml")


def local_session(tz: str, start: str, hours: float = 4.5, key: str | None = None) -> Session:
    begin = datetime.fromisoformat(start).replace(tzinfo=ZoneInfo(tz))
    return Session(key or start, begin, begin + timedelta(hours=hours))


def plan_for(protocol_id: str, tz: str, sessions, answers=None, wake=time(7), bed=time(23)) -> Plan:
    protocol = loaded(protocol_id)
    return build_plan(
        protocol.protocol, Profile(tz, answers or {}, wake, bed), sessions, protocol.bundle_version
    )
