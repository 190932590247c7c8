"""Sync API throughput and latency under gunicorn, side by side with the trivial /healthz.

Usage: python bench/sync.py [--devices 16] [--workers 2] [--seconds 10] [--backend both]

For each backend: a fresh database (a SQLite file in a temporary folder, or the PostgreSQL
database named in --postgres-url, dropped and created again), `flask db upgrade`, gunicorn as
in the Procfile on a free loopback port, then one demo client per device (`flask demo --json`)
enrolled over the API. Every device is a thread with its own connection (loadgen.py), in a
pool of --load-procs processes so that the load generator is not held back by one GIL.
Each device posts 5 new events and its cursor to /api/v1/me/sync and keeps the new cursor;
/healthz (the trivial endpoint) and GET /api/v1/me (the cheapest request that checks a device
token and reads its client) are driven by the same threads for as long. Prints markdown tables.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from loadgen import HOST, call, drive, ignore_interrupts  # noqa: E402

from server.config import database_url  # noqa: E402

LOOPBACK = ("127.0.0.1", "localhost", "::1")
KINDS = ("sync", "me", "healthz")
PATHS = {"sync": "POST /api/v1/me/sync", "me": "GET /api/v1/me", "healthz": "GET /healthz"}
TICK = os.sysconf("SC_CLK_TCK")


# --- The server -------------------------------------------------------------------------


def fresh_database(backend: str, folder: str, postgres_url: str) -> str:
    """Return the URL of an empty database for `backend`."""
    if backend == "sqlite":
        return f"sqlite:///{folder}/aftercue.sqlite3"
    url = make_url(postgres_url)
    if url.host not in LOOPBACK:
        raise SystemExit(f"--postgres-url must point at a loopback address, not {url.host}")
    admin = url.set(drivername="postgresql", database="postgres")
    name = sql.Identifier(url.database)
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def flask(env: dict, *args: str) -> str:
    """Run `flask --app server ARGS` in the repository; return its standard output."""
    command = [sys.executable, "-m", "flask", "--app", "server", *args]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict, port: int, workers: int, log: Path):
    """Run gunicorn as the Procfile does, on loopback; always stop it on the way out."""
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
    command += ["--bind", f"{HOST}:{port}", "server:create_app()"]
    with log.open("w") as out:
        # Its own session: Ctrl-C reaches only this script, which then stops gunicorn itself.
        server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        wait_ready(server, port)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_ready(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited at start-up; see its log")
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            if call(conn, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
        finally:
            conn.close()
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def database_pids(url: str) -> list[int]:
    """PostgreSQL's server processes for the app's connections (none for SQLite: in-process)."""
    if not url.startswith("postgresql"):
        return []
    with psycopg.connect(url) as conn:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        return [pid for (pid,) in conn.execute(query + " AND pid <> pg_backend_pid()")]


def cpu_snapshot(pids: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds used so far by each group of processes, by the machine, and the clock."""
    snapshot = {role: sum(map(cpu_seconds, group)) for role, group in pids.items()}
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    snapshot["machine"] = (sum(ticks) - ticks[3] - ticks[4]) / TICK  # all but idle and iowait
    snapshot["clock"] = time.monotonic()
    return snapshot


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


# --- Devices ----------------------------------------------------------------------------


def enroll_devices(env: dict, port: int, count: int) -> list[dict]:
    """One demo client per device, enrolled with its code; each gets its plan's occurrences."""
    codes = [json.loads(flask(env, "demo", "--json").splitlines()[-1])["enroll_code"]]
    # The first run creates the demo clinician; after that, runs can overlap.
    with ThreadPoolExecutor(os.cpu_count()) as pool:
        runs = pool.map(lambda _: flask(env, "demo", "--json"), range(count - 1))
        codes += [json.loads(out.splitlines()[-1])["enroll_code"] for out in runs]
    devices = []
    for number, code in enumerate(codes, 1):
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        body = json.dumps({"code": code, "label": f"bench device {number}"})
        status, data = call(conn, "POST", "/api/v1/enroll", body)
        if status != 201:
            raise RuntimeError(f"enroll answered {status}: {data[:300]!r}")
        token = json.loads(data)["token"]
        status, data = call(conn, "GET", "/api/v1/me/plan", token=token)
        if status != 200:
            raise RuntimeError(f"plan answered {status}: {data[:300]!r}")
        occurrences = [o["id"] for o in json.loads(data)["occurrences"]]
        devices.append({"token": token, "occurrences": occurrences, "cursor": None})
        conn.close()
    return devices


def count_events(url: str) -> int:
    engine = create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM adherence_events"))
    finally:
        engine.dispose()


# --- Load (the devices themselves are in loadgen.py) ----------------------------------


def measure(pool, kind: str, port: int, devices: list[dict], args, pids: dict) -> dict:
    """Drive every device at once for args.seconds; return rates, latencies and CPU use."""
    start = time.monotonic() + 0.5  # time for the pool processes to pick up their jobs
    cap = math.ceil(args.max_requests / len(devices))
    jobs = [
        {"kind": kind, "port": port, "start": start, "stop": start + args.seconds, "cap": cap,
         "devices": devices[i :: args.load_procs]}
        for i in range(min(args.load_procs, len(devices)))
    ]  # fmt: skip
    before = cpu_snapshot(pids)
    outcomes = pool.map(drive, jobs)
    cpu = {key: value - before[key] for key, value in cpu_snapshot(pids).items()}
    for job, outcome in zip(jobs, outcomes, strict=True):  # carry cursors to the next round
        for device, tally in zip(job["devices"], outcome["devices"], strict=True):
            device["cursor"] = tally["cursor"]
    tallies = [tally for outcome in outcomes for tally in outcome["devices"]]
    latencies = [x * 1000 for tally in tallies for x in tally["latencies"]]
    errors = [error for tally in tallies for error in tally["errors"]]
    if len(latencies) < 2:
        raise RuntimeError(f"{kind}: no good answers; first errors: {errors[:3]}")
    count, clock, machine = len(latencies), cpu.pop("clock"), cpu.pop("machine")
    load = sum(outcome["cpu"] for outcome in outcomes)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "rate": count / (max(tally["end"] for tally in tallies) - start),
        "p50": cuts[49],
        "p99": cuts[98],
        "errors": errors,
        "sent": sum(tally["sent"] for tally in tallies),
        "acked": sum(tally["acked"] for tally in tallies),
        "load": load / clock,
        # Whatever else ran on the machine meanwhile: a busy neighbour skews every figure.
        "others": (machine - load - sum(cpu.values())) / clock,
        **{f"{role}_ms": seconds * 1000 / count for role, seconds in cpu.items()},
    }


# --- One backend ------------------------------------------------------------------------


def bench(backend: str, args, pool) -> dict:
    with tempfile.TemporaryDirectory(prefix="aftercue-bench-") as folder:
        url = fresh_database(backend, folder, args.postgres_url)
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PUBLIC_URL": f"http://{HOST}:{port}",
            "RATE_LIMITS": "off",  # the simulated devices sync far faster than any phone
        }
        env["SECRET_KEY"] = secrets.token_urlsafe(32)
        env.pop("WEB_CONCURRENCY", None)
        flask(env, "db", "upgrade")
        log = Path(folder) / "gunicorn.log"
        try:
            with gunicorn(env, port, args.workers, log) as server:
                devices = enroll_devices(env, port, args.devices)
                warm = argparse.Namespace(**{**vars(args), "seconds": 1.0})
                for kind in KINDS:  # first requests in each worker, not timed
                    measure(pool, kind, port, devices, warm, {})
                pids = {"server": worker_pids(server.pid), "database": database_pids(url)}
                measured = {
                    k: measure(pool, k, port, devices, args, pids) for k in ("me", "healthz")
                }
                before = count_events(url)
                measured["sync"] = measure(pool, "sync", port, devices, args, pids)
                measured["sync"]["stored"] = count_events(url) - before
        except Exception:
            print(f"gunicorn log, last lines:\n{log.read_text()[-3000:]}", file=sys.stderr)
            raise
        problems = [line for line in log.read_text().splitlines() if is_problem(line)]
    return {"backend": backend, **measured, "log": problems}


def is_problem(line: str) -> bool:
    return any(mark in line for mark in ("Traceback", "[ERROR]", "[CRITICAL]", " ERROR "))


def rows(result: dict) -> list[str]:
    database = "{:.2f}" if result["backend"] == "postgresql" else "in-process"
    healthz = result["healthz"]["rate"]
    return [
        f"| {result['backend']} | {PATHS[kind]} | {m['rate']:.0f} | {m['p50']:.1f} "
        f"| {m['p99']:.1f} | {m['rate'] / healthz:.2f} | {m['server_ms']:.2f} "
        f"| {database.format(m['database_ms'])} | {m['load']:.0%} | {m['others']:.0%} "
        f"| {len(m['errors'])} |"
        for kind in KINDS
        for m in [result[kind]]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=16, help="concurrent simulated devices")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per measurement")
    parser.add_argument("--load-procs", type=int, default=os.cpu_count(), help="load processes")
    parser.add_argument(
        "--postgres-url", default="postgresql://postgres@127.0.0.1:5432/aftercue_bench",
        help="dropped and created again at each run",
    )  # fmt: skip
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    started = datetime.now().astimezone().isoformat(timespec="minutes")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    signal.signal(signal.SIGTERM, interrupt)  # unwind as for Ctrl-C, stopping gunicorn
    try:
        with multiprocessing.get_context("spawn").Pool(args.load_procs, ignore_interrupts) as pool:
            results = [bench(backend, args, pool) for backend in backends]
    except KeyboardInterrupt:
        raise SystemExit("interrupted; gunicorn stopped") from None
    print(
        f"{started}, Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"{args.load_procs} load processes, {args.seconds:g} s per measurement, "
        f"load average before: {load}\n"
    )
    report(results, args)
    if any(r["sync"]["stored"] != r["sync"]["sent"] for r in results):
        raise SystemExit("sync lost or duplicated events: see above")
    if any(r[kind]["errors"] for r in results for kind in KINDS):
        raise SystemExit("requests failed or were refused: see above")


def interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def report(results: list[dict], args) -> None:
    """Print the tables, then any errors and server log problems to standard error."""
    print(
        "| backend | request | req/s | p50 ms | p99 ms | req/s / healthz's "
        "| gunicorn CPU ms/req | PostgreSQL CPU ms/req | load generator CPU "
        "| other processes CPU | errors |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print("\n".join(rows(result)))
    print(f"\n{args.devices} devices, {args.workers} gunicorn workers.\n")
    print("| backend | sync / GET /api/v1/me | events stored / acked / sent |")
    print("|---|---:|---:|")
    for result in results:
        s = result["sync"]
        ratio = s["rate"] / result["me"]["rate"]
        print(f"| {result['backend']} | {ratio:.2f} | {s['stored']} / {s['acked']} / {s['sent']} |")
    for result in results:
        for kind in KINDS:
            for error in sorted(set(result[kind]["errors"]))[:5]:
                print(f"{result['backend']} {kind} error: {error}", file=sys.stderr)
        for line in result["log"][:10]:
            print(f"{result['backend']} gunicorn log: {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
