"""The simulated devices of bench/sync.py: the standard library only, run in pool processes.

Each device is a thread with one http.client connection, reused for as long as the server
keeps it open, sending its requests back to back and timing each.
"""

from __future__ import annotations

import http.client
import json
import random
import resource
import signal
import threading
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

HOST = "127.0.0.1"
ZONE = "Europe/London"  # the demo clients' zone
BATCH = 5
# What a good answer to each read holds: /healthz says ok, /api/v1/me gives the client's name.
EXPECTED = {"healthz": b'"ok"', "me": b'"name"'}
MAX_ERRORS = 50  # per device: enough to show what is wrong, without spinning on a dead server


def call(conn, method, path, body=None, token=None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body, headers)
    response = conn.getresponse()
    return response.status, response.read()


def ignore_interrupts() -> None:
    """Pool initializer: Ctrl-C is for the parent, which stops the pool and the server."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def drive(job: dict) -> dict:
    """In a pool process: run one thread per device until the deadline; return the tallies."""
    results = [None] * len(job["devices"])

    def run(index, device):
        results[index] = device_loop(job, device)

    threads = [
        threading.Thread(target=run, args=(i, device), daemon=True)
        for i, device in enumerate(job["devices"])
    ]
    before = resource.getrusage(resource.RUSAGE_SELF)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {"devices": results, "cpu": cpu}


def device_loop(job: dict, device: dict) -> dict:
    """Post sync batches (or GET /api/v1/me, /healthz) back to back on one connection; time each."""
    conn = http.client.HTTPConnection(HOST, job["port"], timeout=30)
    tally = {"latencies": [], "errors": [], "sent": 0, "acked": 0, "end": 0.0}
    zone, cursor = ZoneInfo(ZONE), device["cursor"]
    time.sleep(max(0.0, job["start"] - time.monotonic()))
    while len(tally["latencies"]) < job["cap"] and time.monotonic() < job["stop"]:
        if len(tally["errors"]) >= MAX_ERRORS:
            break
        batch = []
        if job["kind"] == "sync":
            at = datetime.now(zone).isoformat(timespec="milliseconds")
            batch = [tick(device["occurrences"], at) for _ in range(BATCH)]
            body = json.dumps({"events": batch, "cursor": cursor, "timezone": ZONE})
            request = ("POST", "/api/v1/me/sync", body, device["token"])
        elif job["kind"] == "me":
            request = ("GET", "/api/v1/me", None, device["token"])
        else:
            request = ("GET", "/healthz")
        tally["sent"] += len(batch)
        began = time.perf_counter()
        try:
            status, data = call(conn, *request)
        except (OSError, http.client.HTTPException) as error:
            tally["errors"].append(f"{type(error).__name__}: {error}")
            conn.close()
            continue
        latency = time.perf_counter() - began
        problem = check(status, data, batch, EXPECTED.get(job["kind"], b""))
        if problem:
            tally["errors"].append(problem)
            continue
        tally["latencies"].append(latency)  # of good answers only, as is the rate
        tally["end"] = time.monotonic()
        if batch:
            tally["acked"] += len(batch)
            cursor = json.loads(data)["cursor"]
    conn.close()
    return {**tally, "cursor": cursor}


def tick(occurrences: list[str], at: str) -> dict:
    """A new event on one of the client's real occurrences."""
    occurrence, action = random.choice(occurrences), random.choice(("done", "done", "undone"))
    return {"id": str(uuid.uuid4()), "occurrence": occurrence, "action": action, "at": at}


def check(status: int, data: bytes, batch: list[dict], expected: bytes) -> str | None:
    """What is wrong with a response, or None."""
    if status != 200:
        return f"HTTP {status}: {data[:200]!r}"
    if not batch:
        return None if expected in data else f"unexpected body {data[:200]!r}"
    answer = json.loads(data)
    sent = [event["id"] for event in batch]
    # One device per client: the pull after our cursor is exactly the batch just pushed.
    pulled = [event["id"] for event in answer["events"]]
    if answer["accepted"] != sent or answer["rejected"] or pulled != sent or answer["more"]:
        return f"unexpected sync answer {data[:300]!r}"
    return None
