"""An acknowledged event survives kill -9 of the server, at 200 random moments per backend.

The phone deletes an event from its outbox once the server has acknowledged it, so an
acknowledged event the server then loses is lost for good. Each round starts a server (a
fork of an app made once, zygote.py: a start costs milliseconds, not an import), lets four
phones send small batches back to back, and once a random number of events is acknowledged
waits a random moment and SIGKILLs the server's process group, usually mid-request. Every
acknowledged id must then be in the database, and the next round's server, on the same
database, must work.
"""

import random
import threading
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import NullPool, create_engine, select

from server import config
from server.models import AdherenceEvent

from .servers import Zygote, request, seed, server_env
from .simulation import enroll

ROUNDS = 200


def test_acknowledged_events_survive_kill_9(database_url, tmp_path):
    rng = random.Random()
    env = server_env(database_url)
    seeded = seed(env, 1, 4, 4)
    engine = create_engine(config.database_url(database_url), poolclass=NullPool)
    missing, acked_total, mid_request = set(), 0, 0
    try:
        with Zygote(env, tmp_path / "zygote.log") as zygote:
            pid, port = zygote.spawn()
            phones = enroll(port, seeded, rng)
            for _ in range(ROUNDS):
                acked, in_flight = kill_round(port, phones, rng, lambda pid=pid: zygote.kill(pid))
                missing |= acked - stored(engine, acked)
                acked_total, mid_request = acked_total + len(acked), mid_request + (in_flight > 0)
                pid, port = zygote.spawn()  # the restart: the next round runs on it
            zygote.kill(pid)
    finally:
        engine.dispose()
    print(f"{ROUNDS} kills, {mid_request} mid-request; {acked_total} acknowledged events")
    assert not missing, f"{len(missing)} acknowledged events lost: {sorted(missing)[:5]}"
    assert acked_total >= ROUNDS
    assert mid_request >= ROUNDS // 4  # the kills did land while requests were being served


def kill_round(port, phones, rng, kill) -> tuple[set[str], int]:
    """Phones sync until a random number of events is acknowledged, then `kill` the server.

    Returns the acknowledged event ids and how many requests were in flight at the kill.
    """
    target, lock, reached = rng.randint(1, 12), threading.Lock(), threading.Event()
    acked: set[str] = set()
    in_flight, errors = [0], []

    def phone(device):
        while True:
            batch = [new_event(device.offered(), rng) for _ in range(rng.randint(1, 5))]
            body = {"events": batch, "cursor": device.cursor}
            with lock:
                in_flight[0] += 1
            try:
                status, reply = request(port, "POST", "/api/v1/me/sync", body, device.token, 30)
            except OSError:
                return  # killed: the server is gone
            finally:
                with lock:
                    in_flight[0] -= 1
            if status != 200:
                errors.append(f"sync answered {status}: {reply}")
                return
            device.cursor = reply["cursor"]
            with lock:
                acked.update(reply["accepted"])
                if len(acked) >= target:
                    reached.set()

    threads = [threading.Thread(target=phone, args=(device,)) for device in phones]
    for thread in threads:
        thread.start()
    try:
        assert reached.wait(60), f"no {target} events acknowledged in 60 s: {errors[:3]}"
        time.sleep(rng.uniform(0, 0.03))
    finally:
        with lock:
            cut = in_flight[0]
        kill()
        for thread in threads:
            thread.join()
    assert not errors, errors[:3]
    return acked, cut


def new_event(occurrences: list[str], rng: random.Random) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "occurrence": rng.choice(occurrences),
        "action": rng.choice(("done", "undone")),
        "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }


def stored(engine, event_ids: set[str]) -> set[str]:
    """Which of `event_ids` the database holds, read afresh after the kill."""
    if not event_ids:
        return set()
    query = select(AdherenceEvent.event_id).where(
        AdherenceEvent.event_id.in_([uuid.UUID(event_id) for event_id in event_ids])
    )
    with engine.connect() as conn:
        return {str(event_id) for event_id in conn.scalars(query)}
