"""A simulated phone that follows the app's sync rules (pwa/js/shared/outbox.js, sync.js, fold.js).

A tick or untick is an event with a UUID made on the phone, written to the outbox and to the
phone's own events at once; as in the app, only tasks whose day has begun are offered. A sync
sends the outbox (oldest first, at most a batch) with the cursor; an event leaves the outbox
only when the reply lists it in `accepted` or `rejected` (a rejected one is forgotten);
pulled events are kept and the cursor moves on. Any failure (no reply, a cut reply, a 5xx)
leaves everything as it was, to be sent again next time. A 401 (the clinic disconnected the
phone) keeps the outbox and stops the ticking until the clinic's new link reconnects it.
The phone's state is the documented fold of every event it holds (server/domain/sync.py).
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from server.domain.sync import DONE, MAX_BATCH, UNDONE, Event, fold

from .servers import request

HOURS = 3600
# A small share of ticks name an occurrence the plan does not have (an old plan's task, say):
# the server must reject them, and the phone must forget them.
UNKNOWN_SHARE = 0.01


class ProtocolError(AssertionError):
    """The server answered something a correct server never would."""


def as_event(raw: dict) -> Event:
    return Event(
        uuid.UUID(raw["id"]), raw["occurrence"], raw["action"], datetime.fromisoformat(raw["at"])
    )


class Device:
    def __init__(self, client_id: int, token: str, plan: dict, label: str, zone: str, rng):
        self.client_id, self.token, self.label = client_id, token, label
        self.dates = {o["id"]: o["date"] for o in plan["occurrences"]}
        self.plan_zone = ZoneInfo(plan["timezone"])
        self.zone_name, self.zone = zone, ZoneInfo(zone)
        self.rng = random.Random(rng.randrange(2**32))
        # Phone clocks can be wrong by hours; the fold must not care.
        self.skew = timedelta(seconds=self.rng.uniform(-3 * HOURS, 3 * HOURS))
        self.outbox: dict[str, dict] = {}
        self.events: dict[str, dict] = {}  # every event the phone holds: its own and pulled
        self.latest: dict[str, Event] = {}  # occurrence -> deciding event, to pick the next tap
        self.cursor: str | None = None
        self.made: dict[str, dict] = {}
        self.doomed: set[str] = set()  # made for an unknown occurrence: must be rejected
        self.rejected: set[str] = set()
        self.server_errors = 0
        self.throttled = 0
        self.failures = 0
        # Set by a 401 and cleared by the clinic's new link (`link`, set by the desk). A link
        # that no longer works (a reply lost after it was used) is reported to `ask_for_link`,
        # as a person would call the clinic, which answers with another.
        self.disconnected = False
        self.link: str | None = None
        self.ask_for_link = None
        self.kept: set[str] = set()  # outbox events that waited through a disconnection
        self.reconnects = 0

    # --- Offline ------------------------------------------------------------------------

    def tap(self) -> None:
        """Tick or untick a task, as a person would: flip what the phone shows."""
        at = (datetime.now(UTC) + self.skew).astimezone(self.zone)
        if self.rng.random() < UNKNOWN_SHARE:
            occurrence, action = f"gone-{uuid.uuid4().hex[:16]}", DONE
        else:
            occurrence = self.rng.choice(self.offered())
            shown = self.latest.get(occurrence)
            action = UNDONE if shown and shown.action == DONE else DONE
        event = {
            "id": str(uuid.uuid4()),
            "occurrence": occurrence,
            "action": action,
            "at": at.isoformat(timespec="milliseconds"),
        }
        self.made[event["id"]] = self.outbox[event["id"]] = event
        if occurrence.startswith("gone-"):
            self.doomed.add(event["id"])
        self._keep(event)

    def offered(self) -> list[str]:
        """The tasks the app lets the client tick: those whose day has begun (no future ones)."""
        today = datetime.now(UTC).astimezone(self.plan_zone).date().isoformat()
        return [occurrence for occurrence, day in self.dates.items() if day <= today]

    def _keep(self, raw: dict) -> None:
        self.events[raw["id"]] = raw
        event = as_event(raw)
        current = self.latest.get(event.occurrence)
        if current is None or event.order_key > current.order_key:
            self.latest[event.occurrence] = event

    # --- Sync ---------------------------------------------------------------------------

    def sync(self, port: int) -> bool:
        """Send the outbox and pull, as sync.js does; False if the network or server failed."""
        while True:
            batch = sorted(self.outbox.values(), key=lambda raw: as_event(raw).order_key)
            body = {"events": batch[:MAX_BATCH], "cursor": self.cursor, "timezone": self.zone_name}
            try:
                status, reply = request(port, "POST", "/api/v1/me/sync", body, self.token)
            except OSError:
                self.failures += 1
                return False
            if status == 401:  # disconnected by the clinic: the outbox waits for a new link
                self.disconnected = True
                self.kept |= set(self.outbox)
                return False
            if status >= 500 or status == 429:  # the app retries these later, as any failure
                self.server_errors += status >= 500
                self.throttled += status == 429
                return False
            if status != 200:
                raise ProtocolError(f"sync answered {status}: {reply}")
            progress = self._settle(reply)
            if not (reply["more"] or (progress and self.outbox)):
                return True

    def _settle(self, reply: dict) -> bool:
        for event_id in reply["accepted"]:
            self.outbox.pop(event_id, None)
        for rejection in reply["rejected"]:
            if rejection["id"] not in self.doomed:
                raise ProtocolError(f"a valid event was rejected: {rejection}")
            self.outbox.pop(rejection["id"], None)
            self.events.pop(rejection["id"], None)
            self.rejected.add(rejection["id"])
        for event in reply["events"]:
            self._keep({key: event[key] for key in ("id", "occurrence", "action", "at")})
        self.cursor = reply["cursor"]
        return bool(reply["accepted"] or reply["rejected"])

    def live(self, port: int, server_port: int, quota: int, pace: float, stop) -> None:
        """Tap in bursts while offline, sync now and then, until `quota` events are made; when
        disconnected, tap nothing until the clinic's new link arrives."""
        while len(self.made) < quota and not stop.is_set():
            if self.disconnected:
                if self.link is None:
                    time.sleep(0.05)
                    continue
                self.reconnect(server_port)
            for _ in range(min(self.rng.randint(1, 12), quota - len(self.made))):
                self.tap()
            if self.rng.random() < 0.7 and not self.sync(port):
                time.sleep(self.rng.uniform(0.1, 1.0) * pace)  # back off, then carry on offline
            time.sleep(self.rng.uniform(0.05, 0.5) * pace)

    def reconnect(self, port: int, attempts: int = 50) -> None:
        """Open the clinic's new link: enroll again, for the same client, with a new token.

        Straight to the server, not through the faulty proxy: a reply lost after the code was
        used up would leave the phone waiting for yet another link, which a person would ask
        for, but which is not what this run tests. Killed workers are retried.
        """
        for _ in range(attempts):
            try:
                status, body = request(
                    port, "POST", "/api/v1/enroll", {"code": self.link, "label": self.label}
                )
            except OSError:
                status, body = None, None
            if status == 201:
                if body["client"]["id"] != self.client_id:
                    raise ProtocolError(f"a link for client {self.client_id} enrolled another")
                self.token, self.link, self.disconnected = body["token"], None, False
                self.reconnects += 1
                return
            if status == 400 and body["error"]["code"] == "invalid_enrollment_code":
                self.link = self.ask_for_link(self)
                continue
            if status is not None and status < 500:
                raise ProtocolError(f"enrolling with the new link answered {status}: {body}")
            time.sleep(0.2)
        raise ProtocolError(f"no reconnection after {attempts} tries")

    def flush(self, port: int, server_port: int, attempts: int = 50) -> None:
        """Sync until the outbox is empty and nothing is left to pull (the network is fine)."""
        for _ in range(attempts):
            if self.disconnected:
                if self.link is None:
                    raise ProtocolError("disconnected, and the clinic sent no new link")
                self.reconnect(server_port)
            if self.sync(port) and not self.outbox:
                return
            time.sleep(0.2)
        raise ProtocolError(f"outbox not flushed after {attempts} syncs: {len(self.outbox)} left")

    def state(self) -> dict[str, str]:
        return fold(as_event(raw) for raw in self.events.values())
