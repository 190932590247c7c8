"""Time to build, and to rebuild after a reschedule, a 4-session plan of about 120 days.

Usage: python bench/plan.py [--rounds N]
Prints a markdown table, one row per protocol, in milliseconds. "Cold" empties the engine's
cache of waking days first (a server's first plan for a client); "rebuild" builds the plan
again with the last session moved by a week, as after a reschedule.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parents[1]))

from server.domain import slots
from server.domain.plan import Profile, build_plan
from server.domain.timeline import Session
from server.plans.registry import load_directory

TZ = ZoneInfo("America/Los_Angeles")  # two DST changes inside the span


def sessions(shift_last_days: int = 0) -> list[Session]:
    first = datetime(2026, 2, 20, 9, 0, tzinfo=TZ)
    starts = [first + timedelta(days=d) for d in (0, 21, 42, 63 + shift_last_days)]
    return [Session(f"s{i}", s, s + timedelta(hours=4, minutes=30)) for i, s in enumerate(starts)]


def timed(build, rounds: int, cold: bool = False) -> list[float]:
    samples = []
    for _ in range(rounds):
        if cold:
            slots.waking_day.cache_clear()
        began = time.perf_counter()
        build()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def measure(loaded, rounds: int) -> str:
    answers = {q.id: q.default for q in loaded.protocol.questions}
    profile = Profile("America/Los_Angeles", answers)
    original, moved = sessions(), sessions(shift_last_days=7)

    def build():
        return build_plan(loaded.protocol, profile, original, loaded.bundle_version)

    def rebuild():
        return build_plan(loaded.protocol, profile, moved, loaded.bundle_version)

    plan = build()
    instants = [o.at for o in plan.occurrences] + [r.start for r in plan.restrictions]
    instants += [r.end for r in plan.restrictions if r.end]
    span = (max(instants) - min(instants)).days
    cold = timed(build, rounds, cold=True)
    warm = timed(build, rounds)
    again = timed(rebuild, rounds)
    p95 = statistics.quantiles(warm, n=20)[-1]
    figures = [statistics.median(cold), statistics.median(warm), p95, statistics.median(again)]
    cells = [loaded.protocol.id, str(len(plan.occurrences)), str(span)]
    return "| " + " | ".join(cells + [f"{figure:.2f}" for figure in figures]) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300)
    rounds = parser.parse_args().rounds
    protocols, errors = load_directory(Path(__file__).parents[1] / "protocols")
    if errors:
        raise SystemExit("\n".join(map(str, errors)))
    print(
        "| protocol | occurrences | span (days) | cold build p50 ms | build p50 ms | p95 ms "
        "| rebuild p50 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for loaded in protocols.values():
        print(measure(loaded, rounds))


if __name__ == "__main__":
    main()
