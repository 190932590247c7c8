"""The long chaos run: many phones, a faulty network, killed workers; nothing lost or doubled.

Usage: python bench/chaos.py [--devices 500] [--events 100000] [--backend both]

The same simulation as tests/chaos/test_faults.py (tests/chaos/simulation.py), bigger: a
fresh database per backend (a SQLite file in a temporary folder; the PostgreSQL database
named in --postgres-url, dropped and created again), seeded with clinics and clients whose
phones enroll over the API; gunicorn as in the Procfile on loopback; every phone ticks and
unticks offline and syncs through a loopback proxy that drops requests, drops replies after
the server committed, duplicates, delays and reorders them, while random workers and once
the whole server are killed with SIGKILL, and the clinic's desk disconnects some phones and
sends each a new link (they keep their unsent ticks and reconnect with it). Then the network
heals, every outbox is flushed, and every phone and the database are compared. Exits
non-zero if anything was lost, duplicated, altered, made up, a phone disagrees with the
server, or the server logged an error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sync import fresh_database  # noqa: E402

from tests.chaos.simulation import Settings, run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=500, help="simulated phones")
    parser.add_argument("--events", type=int, default=100_000, help="ticks and unticks in all")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--clinics", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--fault-rate", type=float, default=0.3, help="share of requests")
    parser.add_argument("--kills", type=int, help="worker SIGKILLs (default: 1 per 2,000 events)")
    parser.add_argument("--restarts", type=int, default=1, help="SIGKILLs of the whole server")
    parser.add_argument(
        "--reconnects", type=int, help="phones disconnected, then reconnected (default: 1 in 20)"
    )
    parser.add_argument("--pace", type=float, default=1.0, help="scales the phones' pauses")
    parser.add_argument("--seed", type=int, help="for a run that repeats the same choices")
    parser.add_argument(
        "--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test_chaos_bench",
        help="dropped and created again at each run",
    )  # fmt: skip
    args = parser.parse_args()
    settings = Settings(
        devices=args.devices,
        events=args.events,
        clinics=args.clinics,
        workers=args.workers,
        fault_rate=args.fault_rate,
        kills=args.kills if args.kills is not None else max(8, args.events // 2000),
        restarts=args.restarts,
        reconnects=args.reconnects if args.reconnects is not None else max(2, args.devices // 20),
        pace=args.pace,
    )
    if args.seed is not None:
        settings.seed = args.seed
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{datetime.now().astimezone().isoformat(timespec='minutes')}, Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} cores, load average before: {load}\n",
        flush=True,
    )
    reports = []
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="aftercue-chaos-") as folder:
            url = fresh_database(backend, folder, args.postgres_url)
            reports.append(run(url, settings, Path(folder), backend))
        print(reports[-1].text() + "\n", flush=True)
    print(table(reports))
    if any(failed(report) for report in reports):
        raise SystemExit("the chaos run found problems: see above")


def failed(report) -> bool:
    return bool(
        report.lost + report.duplicated + report.unmade + report.altered + report.diverged
    ) or bool(report.problems)


def table(reports) -> str:
    lines = [
        "| backend | devices | events | requests | faults (drop req / drop reply / dup / delay "
        "/ reorder) | worker kills | server restarts | phones reconnected | ticks they kept "
        "| requests cut | 5xx | lost | duplicated | diverged | wall s |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        faults = " / ".join(f"{count:,}" for count in r.faults.values())
        lines.append(
            f"| {r.backend} | {r.settings.devices:,} | {r.events:,} | {r.requests:,} | {faults} "
            f"| {r.kills} | {r.restarts} | {r.reconnects} | {r.kept:,} | {r.cut:,} "
            f"| {r.server_errors} | {r.lost} "
            f"| {r.duplicated} | {r.diverged} | {r.seconds:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
