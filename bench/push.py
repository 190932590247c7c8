"""Push reminders per second through the real worker, next to the pure encryption rate.

Usage: python bench/push.py [--reminders 20000] [--clients 2000] [--backend both] [--workers 1]

For each backend: the loopback push service (tests/support/push_service.py) in a process of its own,
accept-only (counts requests, answers 201, decrypts nothing), one subscription per client; a
fresh database (a SQLite file, or the PostgreSQL database in --postgres-url, dropped, created
and dropped again), migrated and seeded by push_data.py with real plans and --reminders due
rows. `send_due(make_courier(app.config), clock, ...)` sends them in one pass with a
fixed `now` (--workers 2: two processes, PostgreSQL only); every row must end "sent" and the
service must count each message once, or the run fails. Right after each pass, pywebpush's
aes128gcm encryption alone for the same mean payload: one thread, 16 threads (cryptography
lets go of the GIL in places), one process per core; the best is the machine's rate.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import queue
import random
import resource
import secrets
import sys
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import flask_migrate
import psycopg
from pywebpush import WebPusher
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import push_data
from loadgen import ignore_interrupts
from sync import cpu_seconds, fresh_database

from server import create_app
from server.config import database_url
from server.extensions import db
from server.models import Reminder
from server.reminders.courier import make_courier
from server.reminders.delivery import send_due
from tests.support.push_crypto import BrowserKeys, b64url_encode
from tests.support.push_service import PushService

GOAL_COUNT, GOAL_SECONDS, GOAL_RATIO = 100_000, 60, 0.5
SENDER_THREADS = 16  # as many as the sender has messages in flight
TICK = os.sysconf("SC_CLK_TCK")


# --- The push service, in a process of its own -------------------------------------------


class CountingService(PushService):
    """The loopback service, accept-only, also adding up the bytes of the bodies it gets."""

    def __init__(self) -> None:
        super().__init__()
        self.accept_only = True
        self.body_bytes = 0
        self._bytes_lock = threading.Lock()

    def handle_push(self, subscription_id, headers, body):
        with self._bytes_lock:
            self.body_bytes += len(body)
        return super().handle_push(subscription_id, headers, body)


def serve(conn, count: int, latency: float) -> None:
    """Child process: hand back `count` subscriptions, then answer "stats" until "stop"."""
    ignore_interrupts()
    with CountingService() as service:
        service.latency = latency
        conn.send((service.origin, [dict(service.subscribe()) for _ in range(count)]))
        while conn.recv() == "stats":
            counts = ("requests", "accepted", "distinct_messages", "body_bytes")
            conn.send({name: getattr(service, name) for name in counts})


@contextmanager
def push_service(count: int, latency: float = 0.0):
    """Yield (process, origin, subscriptions, stats); always stop the service afterwards."""
    ours, theirs = multiprocessing.Pipe()
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=serve, args=(theirs, count, latency))
    process.start()
    try:
        origin, subscriptions = ours.recv()

        def stats() -> dict:
            ours.send("stats")
            return ours.recv()

        yield process, origin, subscriptions, stats
    finally:
        if process.is_alive():
            ours.send("stop")
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join()


# --- The worker ---------------------------------------------------------------------------


def make_app(env: dict, origin: str):
    """The app as the reminder worker runs it, allowed to send to the loopback service."""
    os.environ.update(env)
    uri = database_url(env["DATABASE_URL"])
    return create_app({"SQLALCHEMY_DATABASE_URI": uri, "PUSH_EXTRA_ORIGINS": (origin,)})


def work(job: dict, ready=None) -> dict:
    """One worker's pass, once `ready` (a barrier) lets it: clock, CPU, database CPU, totals."""
    app = make_app(job["env"], job["origin"])
    with app.app_context():
        courier = make_courier(app.config)
        sending = time_sending(courier.sender)
        server = None
        if db.engine.dialect.name == "postgresql":
            server = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.commit()
        if ready is not None:
            ready.wait(timeout=300)
        (user, system), database = own_cpu(), cpu_seconds(server) if server else 0.0
        began = time.monotonic()
        totals = send_due(courier, lambda: job["now"], job["name"])
        ended = time.monotonic()
        user, system = (b - a for a, b in zip((user, system), own_cpu(), strict=True))
        database = cpu_seconds(server) - database if server else 0.0
        courier.sender.close()
        db.engine.dispose()
    return {
        **{"began": began, "ended": ended, "totals": totals, "sending": sending[0]},
        **{"cpu": user + system, "system": system, "database": database},
    }


def time_sending(sender) -> list[float]:
    """Add up the wall time the sender spends in send_all (encrypt and POST, in its threads)."""
    sending, send_all = [0.0], sender.send_all

    def timed(messages):
        began = time.monotonic()
        try:
            return send_all(messages)
        finally:
            sending[0] += time.monotonic() - began

    sender.send_all = timed
    return sending


def own_cpu() -> tuple[float, float]:
    """This process's user and system CPU seconds so far, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def run_workers(args, env: dict, origin: str, now: datetime, service_pid: int) -> dict:
    """Run the worker(s) from one start time; add up their clocks and CPU, and the others'."""
    jobs = [
        {"env": env, "origin": origin, "now": now, "name": f"bench-{n}"}
        for n in range(args.workers)
    ]
    service = cpu_seconds(service_pid)
    with busy_samples() as samples:
        outcomes = [work(jobs[0])] if args.workers == 1 else in_processes(work, jobs)
    service = cpu_seconds(service_pid) - service  # idle outside the pass
    totals: dict[str, int] = {}
    for outcome in outcomes:
        for kind, count in outcome["totals"].items():
            totals[kind] = totals.get(kind, 0) + count
    began, ended = min(o["began"] for o in outcomes), max(o["ended"] for o in outcomes)
    worker, database = sum(o["cpu"] for o in outcomes), sum(o["database"] for o in outcomes)
    busy = busy_between(samples, began, ended)
    return {
        "seconds": ended - began,
        "totals": totals,
        "split": [o["totals"].get("sent", 0) for o in outcomes],
        "sending": sum(o["sending"] for o in outcomes) / len(outcomes),
        "cpu": {"worker": worker, "database": database, "service": service},
        "system": sum(o["system"] for o in outcomes),
        # Whatever else ran meanwhile: a busy neighbour skews every figure.
        "others": max(0.0, busy - worker - database - service),
    }


@contextmanager
def busy_samples():
    """Sample the machine's busy CPU seconds ten times a second while the block runs."""
    samples, done = [(time.monotonic(), machine_busy())], threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            samples.append((time.monotonic(), machine_busy()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield samples
    finally:
        done.set()
        sampler.join()
        samples.append((time.monotonic(), machine_busy()))


def machine_busy() -> float:
    with open("/proc/stat") as stat:
        ticks = [int(t) for t in stat.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / TICK  # all but idle and iowait


def busy_between(samples: list[tuple[float, float]], began: float, ended: float) -> float:
    """Busy CPU seconds from the last sample before `began` to the first after `ended`."""
    first = max((s for s in samples if s[0] <= began), default=samples[0])
    last = min((s for s in samples if s[0] >= ended), default=samples[-1])
    return last[1] - first[1]


# --- One backend --------------------------------------------------------------------------


def bench(backend: str, args, vapid_key: str) -> dict:
    """Seed one backend, run the worker(s), and count what the service and the rows say."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with (
        tempfile.TemporaryDirectory(prefix="aftercue-push-") as folder,
        push_service(args.clients, args.latency) as (service, origin, subscriptions, stats),
    ):
        url = fresh_database(backend, folder, args.postgres_url)
        try:
            env = {"DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(32)}
            env |= {"VAPID_PRIVATE_KEY": vapid_key, "LOG_LEVEL": "WARNING"}
            app = make_app(env, origin)
            began = time.monotonic()
            with app.app_context():
                flask_migrate.upgrade()
                registry = app.extensions["protocols"]
                push_data.seed(registry, subscriptions, args.reminders, now, random.Random(8030))
                db.engine.dispose()
            seeded = time.monotonic() - began
            result = run_workers(args, env, origin, now, service.pid)
            with app.app_context():
                query = select(Reminder.state, func.count()).group_by(Reminder.state)
                states = dict(db.session.execute(query).all())
                db.engine.dispose()
        finally:
            if backend == "postgresql":
                drop_database(args.postgres_url)
        counts = stats()
    return {"backend": backend, "seeded": seeded, "states": states, "service": counts} | result


def drop_database(postgres_url: str) -> None:
    url = make_url(postgres_url)
    admin = url.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def problems(result: dict, args) -> list[str]:
    """What went wrong: lost, duplicated or unsent reminders, or other outcomes than sent."""
    service, expected = result["service"], args.reminders
    lost = expected - service["distinct_messages"]
    duplicated = service["requests"] - service["distinct_messages"]
    unsent = expected - result["states"].get("sent", 0)
    found = [f"{lost} lost"] if lost else []
    found += [f"{duplicated} duplicated"] if duplicated else []
    found += [f"{unsent} rows not sent"] if unsent else []
    if result["totals"] != {"sent": expected}:
        found.append(f"send_due counted {result['totals']}")
    return found


# --- Encryption alone ---------------------------------------------------------------------


def encrypt_for(job: dict, ready=None) -> dict:
    """Encrypt one payload again and again in job["threads"] threads for job["seconds"]."""
    subscription = {"endpoint": "https://push.invalid/x", "keys": BrowserKeys.generate().as_json()}
    payload, counts = b"x" * job["size"], []
    if ready is not None:
        ready.wait(timeout=300)
    cpu, stop = sum(own_cpu()), time.monotonic() + job["seconds"]

    def loop() -> None:
        done = 0
        while time.monotonic() < stop:
            WebPusher(subscription).encode(payload, "aes128gcm")
            done += 1
        counts.append(done)

    threads = [threading.Thread(target=loop) for _ in range(job["threads"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"done": sum(counts), "cpu": sum(own_cpu()) - cpu}


def encryption_rates(size: int, seconds: float) -> dict[str, dict[str, float]]:
    """Messages encrypted per second, and CPU ms each: one thread, the sender's threads, a
    process per core (the machine's rate, if no one else needs the cores)."""
    cores, rates = os.cpu_count(), {}
    for label, threads, processes in (
        ("1 thread", 1, 1),
        (f"{SENDER_THREADS} threads", SENDER_THREADS, 1),
        (f"{cores} processes", 1, cores),
    ):
        job = {"size": size, "threads": threads, "seconds": seconds}
        runs = [encrypt_for(job)] if processes == 1 else in_processes(encrypt_for, [job] * cores)
        done, cpu = sum(r["done"] for r in runs), sum(r["cpu"] for r in runs)
        rates[label] = {"rate": done / seconds, "cpu_ms": cpu * 1000 / max(1, done)}
    return rates


def in_processes(target, jobs: list[dict]) -> list:
    """target(job, barrier) in a process per job, timed parts started together; the results."""
    context = multiprocessing.get_context("spawn")
    ready, results = context.Barrier(len(jobs)), context.Queue()
    processes = [
        context.Process(target=_reporting, args=(target, job, ready, results)) for job in jobs
    ]
    for process in processes:
        process.start()
    outcomes = []
    try:
        while len(outcomes) < len(jobs):
            if any(p.exitcode not in (None, 0) for p in processes) and results.empty():
                ready.abort()
                raise RuntimeError("a benchmark process died without a result")
            with contextlib.suppress(queue.Empty):
                failed, outcome = results.get(timeout=1)
                if failed:
                    raise RuntimeError(f"a benchmark process failed:\n{outcome}")
                outcomes.append(outcome)
    finally:
        for process in processes:
            process.join(10)
            if process.is_alive():
                process.kill()
    return outcomes


def _reporting(target, job: dict, ready, results) -> None:
    ignore_interrupts()
    try:
        results.put((False, target(job, ready)))
    except BaseException:
        ready.abort()  # the others stop waiting
        results.put((True, traceback.format_exc()))


def payload_size(result: dict) -> int:
    """The mean plaintext size: the mean body the service got less what aes128gcm adds."""
    service = result["service"]
    mean = service["body_bytes"] / max(1, service["requests"])
    keys = BrowserKeys.generate().as_json()
    pusher = WebPusher({"endpoint": "https://push.invalid/x", "keys": keys})
    return round(mean) - (len(pusher.encode(b"x", "aes128gcm")["body"]) - 1)


# --- Report -------------------------------------------------------------------------------


def report(results: list[dict], args, started: str) -> None:
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{started}, Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"{args.reminders:,} reminders to {args.clients:,} subscriptions, "
        f"{args.workers} worker process(es), push service latency {args.latency * 1000:g} ms, "
        f"load average after: {load}\n"
    )
    print(
        "| backend | workers | reminders | seconds | reminders/s | 100,000 would take "
        "| encryption/s (best) | ratio | lost | duplicated | not sent |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        rate, service, best = args.reminders / r["seconds"], r["service"], best_rate(r)
        print(
            f"| {r['backend']} | {args.workers} | {args.reminders:,} | {r['seconds']:.1f} "
            f"| {rate:,.0f} | {GOAL_COUNT / rate:.0f} s | {best:,.0f} | {rate / best:.2f} "
            f"| {args.reminders - service['distinct_messages']} "
            f"| {service['requests'] - service['distinct_messages']} "
            f"| {args.reminders - r['states'].get('sent', 0)} |"
        )
    goal = GOAL_COUNT / GOAL_SECONDS
    for r in results:
        rate = args.reminders / r["seconds"]
        print(
            f"\n{r['backend']}: {GOAL_COUNT:,} in {GOAL_SECONDS} s ({goal:,.0f}/s) "
            f"{'met' if rate >= goal else 'NOT met'}; at least {GOAL_RATIO} of the encryption "
            f"rate {'met' if rate >= GOAL_RATIO * best_rate(r) else 'NOT met'}"
            + (f"; sent by each worker: {' / '.join(map(str, r['split']))}" * (args.workers > 1))
        )
    labels = list(results[0]["encryption"])
    print(
        "\nEncryption alone (pywebpush aes128gcm, the mean payload), measured right after each "
        "pass:\n\n| after the pass on | payload bytes | "
        + " | ".join(f"{label}: messages/s" for label in labels)
        + " | CPU ms per message (1 thread) |"
    )
    print("|---|---:|" + "---:|" * (len(labels) + 1))
    for r in results:
        rates = " | ".join(f"{r['encryption'][label]['rate']:,.0f}" for label in labels)
        cpu = r["encryption"]["1 thread"]["cpu_ms"]
        print(f"| {r['backend']} | {r['size']} | {rates} | {cpu:.3f} |")
    print(
        "\nCPU per reminder in ms (a busy machine stretches the clock, less so the CPU): "
        "the worker(s), PostgreSQL, the push service, and all three against one encryption."
    )
    print(
        "\n| backend | worker | of which system | PostgreSQL | push service | all three "
        "| encryption / all three | other processes | worker CPU use | wall time in send_all "
        "| seeding s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        ms = {role: seconds * 1000 / args.reminders for role, seconds in r["cpu"].items()}
        total = sum(ms.values())
        database = f"{ms['database']:.3f}" if r["backend"] == "postgresql" else "in-process"
        print(
            f"| {r['backend']} | {ms['worker']:.3f} | {r['system'] * 1000 / args.reminders:.3f} "
            f"| {database} | {ms['service']:.3f} | {total:.3f} "
            f"| {r['encryption']['1 thread']['cpu_ms'] / total:.2f} "
            f"| {r['others'] * 1000 / args.reminders:.3f} "
            f"| {r['cpu']['worker'] / r['seconds'] / args.workers:.0%} "
            f"| {r['sending'] / r['seconds']:.0%} | {r['seeded']:.0f} |"
        )


def best_rate(result: dict) -> float:
    """The machine's encryption rate: the best way of running it, measured after the pass."""
    return max(measured["rate"] for measured in result["encryption"].values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=2_000, help="one subscription each")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--workers", type=int, choices=(1, 2), default=1)
    parser.add_argument("--latency", type=float, default=0.0, help="push service, seconds")
    parser.add_argument("--encrypt-seconds", type=float, default=5.0, help="per encryption rate")
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/test_push_bench",
        help="dropped and created again, and dropped at the end",
    )
    args = parser.parse_args()
    if not 1 <= args.reminders <= 200_000 or not 1 <= args.clients <= args.reminders:
        parser.error("--reminders must be 1 to 200,000 and --clients 1 to --reminders")
    if not 0 <= args.latency <= 1:
        parser.error("--latency must be 0 to 1 second")
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    if args.workers > 1 and "sqlite" in backends:
        parser.error("--workers 2 needs --backend postgresql: SQLite runs one worker")
    started = datetime.now().astimezone().isoformat(timespec="minutes")
    vapid_key = b64url_encode(secrets.token_bytes(32))
    try:
        results = []
        for backend in backends:
            result = bench(backend, args, vapid_key)
            result["size"] = payload_size(result)
            # Side by side: the machine as busy (or not) as during the pass.
            result["encryption"] = encryption_rates(result["size"], args.encrypt_seconds)
            results.append(result)
    except KeyboardInterrupt:
        raise SystemExit("interrupted; push service stopped, database dropped") from None
    report(results, args, started)
    found = [
        f"{r['backend']}: {', '.join(problems(r, args))}" for r in results if problems(r, args)
    ]
    if found:
        raise SystemExit("\n".join(found))


if __name__ == "__main__":
    main()
