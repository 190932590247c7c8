"""A real Web Push service on loopback for tests, which also plays the subscribing browser.

    with PushService() as service:            # or the `push_service` fixture
        subscription = service.subscribe()    # the JSON a browser's PushSubscription gives
        ...                                   # the app sends its reminder
        [message] = service.pending(subscription.id)
        assert message.payload["title"] == ...

Requests are checked as real services check them: VAPID (RFC 8292), TTL, Urgency and Topic
(RFC 8030), and the aes128gcm body is decrypted with the subscription's keys (RFC 8291).
Refusals get the status a real service would send and are kept in `rejections`.

The app only POSTs to https push services on its allow-list, so a test adds this service's
`origin` (http://127.0.0.1:<port>) to it, e.g. `push_endpoints.Policy(extra_origins=(origin,))`.
VAPID `exp` is judged by `clock`, the wall clock by default because pywebpush stamps tokens
with it; a sender whose time is pinned to `now` needs `PushService(clock=now.timestamp)`.

To use the fixture elsewhere, import it into a conftest:
`from tests.support.push_service import push_service_fixture  # noqa: F401`.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from tests.support.push_crypto import BrowserKeys, DecryptError, VapidError, decrypt, verify_vapid
from tests.support.push_http import MAX_BODY, LoopbackServer, Reply

URGENCIES = ("very-low", "low", "normal", "high")
TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")


class Subscription(dict):
    """The JSON of a browser's PushSubscription, plus the service's `id` for it."""

    @property
    def id(self) -> str:
        """The last segment of the endpoint, which names the subscription in the service."""
        return self["endpoint"].rsplit("/", 1)[1]


@dataclass(frozen=True)
class PushMessage:
    """An accepted push message, decrypted as the browser would see it."""

    id: str
    subscription_id: str
    plaintext: bytes | None  # None for a push without a body
    payload: object  # the plaintext parsed as JSON, or None if it is not JSON
    ttl: int
    urgency: str
    topic: str | None
    vapid_sub: str
    vapid_key: str
    received_at: float


@dataclass(frozen=True)
class Rejection:
    """A push request the service refused, and why."""

    subscription_id: str
    status: int
    reason: str


@dataclass(frozen=True)
class Landing:
    """A request that reached `/landed`, which only a sender following a redirect would send."""

    method: str
    headers: dict[str, str]  # names in lower case
    body: bytes


class Refused(Exception):
    """A push request is refused with this reply."""

    def __init__(self, status: int, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.reply = Reply(status, reason, headers or {})


@dataclass
class _Browser:
    keys: BrowserKeys
    application_server_key: str | None
    gone: bool = False


class PushService:
    """An HTTP push service in a background thread on 127.0.0.1; use it as a context manager."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.accept_only = False  # answer 201 without checking or decrypting, for benchmarks
        self.latency = 0.0  # seconds every push request waits before being answered
        self.requests = 0
        self.accepted = 0
        self.log: list[PushMessage] = []
        self.rejections: list[Rejection] = []
        self.landings: list[Landing] = []
        self._browsers: dict[str, _Browser] = {}
        self._pending: dict[str, list[PushMessage]] = defaultdict(list)
        self._scripts: dict[str | None, deque[tuple[int, dict[str, str]]]] = defaultdict(deque)
        self._message_keys: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self._server: LoopbackServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> PushService:
        """Listen on a free loopback port and serve in a daemon thread."""
        self._server = LoopbackServer(self)
        # A short poll keeps stop() quick; the default half second adds up over a suite.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), name="push-service", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop open connections, so kept-alive clients cannot hold it up."""
        assert self._server is not None and self._thread is not None, "not started"
        self._server.shutdown()
        self._server.drop_connections()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> PushService:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        """The service's origin, which is also the `aud` a VAPID token must name."""
        assert self._server is not None, "not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    base_url = origin

    def subscribe(self, application_server_key: str | None = None) -> Subscription:
        """A new subscription, restricted to one VAPID key if given (base64url, RFC 8292 §4)."""
        keys, subscription_id = BrowserKeys.generate(), secrets.token_urlsafe(24)
        with self._lock:
            self._browsers[subscription_id] = _Browser(keys, application_server_key)
        endpoint = f"{self.origin}/push/{subscription_id}"
        return Subscription(endpoint=endpoint, expirationTime=None, keys=keys.as_json())

    def unsubscribe(self, subscription_id: str) -> None:
        """End a subscription, as revoking notification permission does; pushes then get 410."""
        with self._lock:
            self._browsers[subscription_id].gone = True

    def respond_next(
        self,
        subscription_id: str | None,
        status: int,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` pushes to a subscription (None: to any) with this response."""
        with self._lock:
            self._scripts[subscription_id].extend([(status, dict(headers or {}))] * times)

    def redirect_next(self, subscription_id: str | None, status: int = 307, times: int = 1) -> None:
        """Answer the next pushes with a redirect to `/landed`, which records who followed it."""
        self.respond_next(subscription_id, status, {"Location": f"{self.origin}/landed"}, times)

    @property
    def distinct_messages(self) -> int:
        """Accepted messages counted once per subscription and Topic (or body, without one)."""
        with self._lock:
            return len(self._message_keys)

    def messages(self, subscription_id: str) -> list[PushMessage]:
        """Every message accepted for a subscription, in order, replaced or not."""
        with self._lock:
            return [message for message in self.log if message.subscription_id == subscription_id]

    def pending(self, subscription_id: str, at: float | None = None) -> list[PushMessage]:
        """What the browser would still receive: undelivered, not replaced, within its TTL."""
        at = self.clock() if at is None else at
        with self._lock:
            return _live(self._pending[subscription_id], at)

    def deliver(self, subscription_id: str, at: float | None = None) -> list[PushMessage]:
        """Hand the pending messages to the browser, as when a phone comes back online."""
        at = self.clock() if at is None else at
        with self._lock:
            delivered = _live(self._pending[subscription_id], at)
            self._pending[subscription_id].clear()
        return delivered

    def handle_push(self, subscription_id: str, headers: dict[str, str], body: bytes) -> Reply:
        """Check, record and answer one push request; `headers` have lower-case names."""
        with self._lock:
            self.requests += 1
            scripts = self._scripts[subscription_id] or self._scripts[None]
            scripted = scripts.popleft() if scripts else None
        if self.latency:
            time.sleep(self.latency)
        try:
            if scripted is not None:
                raise Refused(scripted[0], "scripted response", scripted[1])
            if self.accept_only:
                return self._accepted(subscription_id, headers.get("topic"), body, None)
            message = self._open(subscription_id, headers, body)
        except Refused as refused:
            reply = refused.reply
            with self._lock:
                self.rejections.append(Rejection(subscription_id, reply.status, reply.reason))
            return reply
        return self._accepted(subscription_id, message.topic, body, message)

    def _open(self, subscription_id: str, headers: dict[str, str], body: bytes) -> PushMessage:
        """The message in a push request, checked as a real push service would."""
        with self._lock:
            browser = self._browsers.get(subscription_id)
        if browser is None:
            raise Refused(404, "no such subscription")
        if browser.gone:
            raise Refused(410, "the subscription has expired or been unsubscribed")
        if len(body) > MAX_BODY:
            raise Refused(413, f"body of {len(body)} bytes exceeds {MAX_BODY}")
        try:
            identity = verify_vapid(headers.get("authorization"), self.origin, self.clock())
        except VapidError as error:
            raise Refused(error.status, str(error), {"WWW-Authenticate": "vapid"}) from error
        if browser.application_server_key not in (None, identity.key):
            raise Refused(403, "k is not the key this subscription was restricted to")
        ttl, urgency, topic = _delivery_headers(headers)
        plaintext = _plaintext(headers.get("content-encoding"), body, browser.keys)
        return PushMessage(
            id=secrets.token_urlsafe(12),
            subscription_id=subscription_id,
            plaintext=plaintext,
            payload=_json_or_none(plaintext),
            ttl=ttl,
            urgency=urgency,
            topic=topic,
            vapid_sub=identity.sub,
            vapid_key=identity.key,
            received_at=self.clock(),
        )

    def _accepted(
        self, subscription_id: str, topic: str | None, body: bytes, message: PushMessage | None
    ) -> Reply:
        """Record an accepted message (if decrypted) and answer 201 with its Location."""
        key = topic if topic else hashlib.sha256(body).hexdigest()
        with self._lock:
            self.accepted += 1
            self._message_keys.add((subscription_id, key))
            if message is not None:
                self.log.append(message)
                queue = self._pending[subscription_id]
                # RFC 8030 §5.4: a newer message replaces an undelivered one with the same Topic.
                if message.topic is not None:
                    queue[:] = [older for older in queue if older.topic != message.topic]
                queue.append(message)
        message_id = message.id if message else secrets.token_urlsafe(12)
        return Reply(201, "created", {"Location": f"{self.origin}/message/{message_id}"})

    def land(self, method: str, headers: dict[str, str], body: bytes) -> None:
        """Record a request to `/landed`."""
        with self._lock:
            self.landings.append(Landing(method, headers, body))


def _delivery_headers(headers: dict[str, str]) -> tuple[int, str, str | None]:
    """TTL, Urgency and Topic, validated as RFC 8030 §5.2-5.4 define them."""
    ttl = headers.get("ttl")
    if ttl is None or not re.fullmatch(r"[0-9]{1,10}", ttl.strip()):
        raise Refused(400, "TTL must be given as a whole number of seconds")
    urgency = headers.get("urgency", "normal").strip()
    if urgency not in URGENCIES:
        raise Refused(400, f"Urgency must be one of {', '.join(URGENCIES)}")
    topic = headers.get("topic")
    if topic is not None and not TOPIC.fullmatch(topic):
        raise Refused(400, "Topic must be 1 to 32 characters of the base64url alphabet")
    return int(ttl), urgency, topic


def _plaintext(content_encoding: str | None, body: bytes, keys: BrowserKeys) -> bytes | None:
    """The decrypted body, or None for a push without one."""
    if not body:
        return None
    if content_encoding != "aes128gcm":
        raise Refused(415, "Content-Encoding must be exactly aes128gcm (RFC 8291 §4)")
    try:
        return decrypt(body, keys)
    except DecryptError as error:
        raise Refused(400, f"cannot decrypt: {error}") from error


def _live(queue: list[PushMessage], at: float) -> list[PushMessage]:
    """The messages whose TTL has not run out at `at`; a TTL of 0 never waits for a browser."""
    return [message for message in queue if at < message.received_at + message.ttl]


def _json_or_none(plaintext: bytes | None) -> object:
    """The plaintext parsed as JSON, or None when there is none or it is not JSON."""
    try:
        return json.loads(plaintext) if plaintext else None
    except ValueError:
        return None


# Named apart from its fixture so that importing it into a conftest doesn't shadow the name.
@pytest.fixture(name="push_service")
def push_service_fixture() -> Iterator[PushService]:
    """A fresh push service on loopback for one test."""
    with PushService() as service:
        yield service
