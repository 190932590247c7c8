"""The chaos run: many phones sync through a faulty network while server workers are killed.

`run()` seeds a fresh database (several clinics, clients enrolled over the API, a fifth of
the phones a client's second device), starts gunicorn as the Procfile does, and lets every
phone tick, untick and sync through the fault-injecting proxy while a killer SIGKILLs random
workers (gunicorn's master starts new ones) and, once, the whole server, which is started
again; meanwhile the clinic's desk disconnects a few phones and sends each a new link, with
which it reconnects and delivers the ticks it kept. Then faults stop, every outbox is flushed
and every phone pulls; `verify()` compares the phones with the database: every event made
stored exactly once, nothing else stored, every phone's folded state equal to the server's
for its client.
"""

from __future__ import annotations

import random
import threading
import time
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from sqlalchemy import NullPool, create_engine, select

from server import config
from server.domain.sync import Event, fold
from server.models import AdherenceEvent

from .desk import Desk
from .device import Device, ProtocolError, as_event
from .proxy import FaultyProxy
from .servers import Gunicorn, request, seed, server_env, wait_ready

ZONES = ("Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney")


@dataclass
class Settings:
    devices: int = 20
    events: int = 1500
    clinics: int = 4
    workers: int = 3
    fault_rate: float = 0.3  # share of requests that suffer a fault
    kills: int = 8  # SIGKILLs of a random worker
    restarts: int = 1  # SIGKILLs of the whole server, each followed by a start
    reconnects: int = 2  # phones the clinic disconnects, then reconnects with a new link
    pace: float = 1.0  # scales the phones' pauses between bursts
    seed: int = field(default_factory=lambda: random.randrange(2**32))


@dataclass
class Report:
    backend: str
    settings: Settings
    clients: int = 0
    events: int = 0
    rejected: int = 0
    requests: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    cut: int = 0
    gave_up: int = 0
    kills: int = 0
    restarts: int = 0
    reconnects: int = 0
    kept: int = 0  # ticks a disconnected phone held until it reconnected
    server_errors: int = 0
    throttled: int = 0
    lost: int = 0
    duplicated: int = 0
    unmade: int = 0
    altered: int = 0
    diverged: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def text(self) -> str:
        faults = ", ".join(f"{kind} {count}" for kind, count in self.faults.items())
        return "\n".join(
            [
                f"backend {self.backend}, seed {self.settings.seed}, {self.seconds:.0f} s ("
                + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in self.phases.items())
                + ")",
                f"devices {self.settings.devices} ({self.clients} clients, "
                f"{self.settings.clinics} clinics, {self.settings.workers} workers)",
                f"events {self.events} ({self.rejected} for unknown tasks, rejected as they "
                "must be)",
                f"requests through the proxy {self.requests}; faults {sum(self.faults.values())}"
                f" ({faults})",
                f"phones disconnected by the clinic and reconnected {self.reconnects}, ticks "
                f"they kept meanwhile {self.kept}",
                f"worker kills {self.kills}, server kills and restarts {self.restarts}, "
                f"requests cut by a kill or the restart {self.cut}, replies the phone had stopped "
                f"waiting for {self.gave_up}, 5xx answers {self.server_errors}, "
                f"429 answers {self.throttled}",
                f"lost {self.lost}, duplicated {self.duplicated}, stored but never made "
                f"{self.unmade}, stored altered {self.altered}, phones disagreeing with the "
                f"server {self.diverged}",
                *(f"problem: {problem}" for problem in self.problems[:10]),
            ]
        )


class Killer:
    """SIGKILLs workers, and the whole server (started again), at random points of the run.

    The points are fractions of the events made, so every run gets its kills however fast
    the machine is; each kill comes a random fraction of a second after its point.
    """

    def __init__(self, server: Gunicorn, settings: Settings, rng, progress) -> None:
        self.server, self.rng, self.progress = server, rng, progress
        points = [(rng.random(), "worker") for _ in range(settings.kills)]
        points += [(rng.uniform(0.2, 0.8), "server") for _ in range(settings.restarts)]
        self.points = sorted(points)
        self.kills = self.restarts = 0
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="killer")

    def _run(self) -> None:
        try:
            while self.points and not self.stop.wait(self.rng.uniform(0.0, 0.2)):
                point, target = self.points[0]
                if self.progress() < point:
                    continue
                if target == "server":
                    self.server.restart()
                    self.restarts += 1
                elif not self.server.kill_worker(self.rng):
                    continue  # none up yet: the master is still starting them
                self.kills += target == "worker"
                self.points.pop(0)
        except Exception:
            self.errors.append(traceback.format_exc())


def run(database_url: str, settings: Settings, folder: Path, backend: str) -> Report:
    """The whole run on an empty database at `database_url`; logs go to `folder`."""
    rng = random.Random(settings.seed)
    report = Report(backend, settings)
    lap = Laps(report.phases)
    env = server_env(database_url)
    report.clients = settings.devices - settings.devices // 5
    seeded = seed(env, settings.clinics, report.clients, settings.devices)
    lap("seed")
    with Gunicorn(env, settings.workers, folder / "gunicorn.log") as server:
        lap("start")
        devices = enroll(server.port, seeded, rng)
        lap("enroll")
        with FaultyProxy(server.port, settings.fault_rate, rng.randrange(2**32)) as proxy:

            def progress() -> float:
                return sum(len(d.made) for d in devices) / settings.events

            killer = Killer(server, settings, rng, progress)
            desks = {entry["client_id"]: entry["desk"] for entry in seeded}
            desk = Desk(server.port, settings.reconnects, devices, desks, rng, progress)
            errors = live(
                devices,
                quotas(settings.events, len(devices)),
                (proxy.port, server.port),
                settings.pace,
                (killer, desk),
            )
            lap("chaos")
            proxy.faults_on = False
            proxy.drain()
            wait_ready(server.port, lambda: server.process.poll() is None)
            try:
                desk.finish()  # every phone the desk chose is disconnected and has its link
            except Exception:
                errors.append(traceback.format_exc())
            # Even after errors, for the counts.
            errors += settle_all(devices, proxy.port, server.port)
            lap("flush")
            report.requests, report.faults = proxy.requests, dict(proxy.faults)
            report.cut, report.gave_up = proxy.cut, proxy.gave_up
            report.problems += proxy.errors
        report.problems += errors + server.problems()
    lap("stop")
    report.kills, report.restarts = killer.kills, killer.restarts
    report.reconnects = sum(d.reconnects for d in devices)
    report.kept = sum(len(d.kept) for d in devices)
    verify(database_url, devices, report)
    lap("verify")
    report.seconds = sum(report.phases.values())
    return report


class Laps:
    """Records the seconds since the previous lap under each lap's name."""

    def __init__(self, phases: dict[str, float]) -> None:
        self.phases, self.last = phases, time.monotonic()

    def __call__(self, name: str) -> None:
        now = time.monotonic()
        self.phases[name], self.last = now - self.last, now


def quotas(events: int, devices: int) -> list[int]:
    """How many events each phone makes: `events` shared out as evenly as can be."""
    return [events // devices + (index < events % devices) for index in range(devices)]


def enroll(port: int, seeded: list[dict], rng) -> list[Device]:
    """Redeem every code over the API and read each client's plan, with no faults."""

    def one(job):
        entry, code, zone, label = job
        status, body = request(port, "POST", "/api/v1/enroll", {"code": code, "label": label})
        if status != 201:
            raise ProtocolError(f"enroll answered {status}: {body}")
        status, plan = request(port, "GET", "/api/v1/me/plan", token=body["token"])
        if status != 200:
            raise ProtocolError(f"plan answered {status}: {plan}")
        return entry["client_id"], body["token"], plan, label, zone

    codes = [(entry, code) for entry in seeded for code in entry["codes"]]
    jobs = [
        (entry, code, ZONES[number % len(ZONES)], f"chaos phone {number + 1}")
        for number, (entry, code) in enumerate(codes)
    ]
    with ThreadPoolExecutor(8) as pool:
        enrolled = list(pool.map(one, jobs))
    return [Device(*fields, rng) for fields in enrolled]


def live(devices, quotas, ports: tuple[int, int], pace: float, actors) -> list[str]:
    """Run every phone in its own thread, with the killer and the desk, until all quotas are
    made. `ports`: the proxy's (the phones' network) and the server's own."""
    errors: list[str] = []
    stop = threading.Event()

    def phone(device, quota):
        try:
            device.live(*ports, quota, pace, stop)
        except Exception:
            errors.append(traceback.format_exc())
            stop.set()  # a broken promise: no point going on

    threads = [
        threading.Thread(target=phone, args=(device, quota), name="phone")
        for device, quota in zip(devices, quotas, strict=True)
    ]
    for actor in actors:
        actor.thread.start()
    try:
        for thread in threads:
            thread.start()
    finally:
        for thread in threads:
            thread.join()
        for actor in actors:
            actor.stop.set()
            actor.thread.join()
    return errors + [error for actor in actors for error in actor.errors]


def settle_all(devices: list[Device], port: int, server_port: int) -> list[str]:
    """The network heals: every phone empties its outbox, then every phone pulls again."""
    errors: list[str] = []

    def flush(device):
        try:
            device.flush(port, server_port)
        except Exception:
            errors.append(traceback.format_exc())

    for _ in range(2):  # the second round brings each phone what the others sent last
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(flush, devices))
    return errors


def verify(database_url: str, devices: list[Device], report: Report) -> None:
    """Compare every phone with what the database holds, and count what went wrong."""
    engine = create_engine(config.database_url(database_url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(
                    AdherenceEvent.client_id,
                    AdherenceEvent.event_id,
                    AdherenceEvent.occurrence_id,
                    AdherenceEvent.action,
                    AdherenceEvent.device_at,
                )
            ).all()
    finally:
        engine.dispose()
    made = {event_id: (d.client_id, raw) for d in devices for event_id, raw in d.made.items()}
    doomed = {event_id for d in devices for event_id in d.doomed}
    stored = Counter(str(row.event_id) for row in rows)
    report.events, report.rejected = len(made), len(doomed)
    report.lost = sum(1 for event_id in made if event_id not in doomed and not stored[event_id])
    report.duplicated = sum(count - 1 for count in stored.values())
    report.unmade = sum(1 for event_id in stored if event_id not in made or event_id in doomed)
    by_client: dict[int, list[Event]] = {}
    for row in rows:
        event = Event(row.event_id, row.occurrence_id, row.action, row.device_at)
        by_client.setdefault(row.client_id, []).append(event)
        maker = made.get(str(row.event_id))
        if maker and not same(maker, row.client_id, event):
            report.altered += 1
    states = {client_id: fold(events) for client_id, events in by_client.items()}
    ids = {client_id: {str(e.id) for e in events} for client_id, events in by_client.items()}
    report.diverged = sum(
        1
        for d in devices
        if d.outbox
        or d.state() != states.get(d.client_id, {})
        or set(d.events) != ids.get(d.client_id, set())
    )
    report.server_errors = sum(d.server_errors for d in devices)
    report.throttled = sum(d.throttled for d in devices)


def same(maker: tuple[int, dict], client_id: int, stored: Event) -> bool:
    """True if the stored row is the event the phone made, for the phone's own client."""
    maker_client, raw = maker
    made = as_event(raw)
    return (
        maker_client == client_id
        and made.occurrence == stored.occurrence
        and made.action == stored.action
        and made.at.astimezone(UTC) == stored.at
    )
