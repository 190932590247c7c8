"""Sending Web Push messages safely: our own HTTP request around pywebpush's encryption.

pywebpush's `webpush()` has unsafe defaults for a server that sends to URLs its users give it:
TTL 0 (the message is dropped if the phone is asleep), no timeout, redirects followed, proxy
settings read per request, and a new VAPID signature for every message. Here: pywebpush
encrypts (aes128gcm); we sign VAPID once per push-service origin, check the endpoint again,
and POST through one connection pool with bounded timeouts and no redirects. The pool is
urllib3's own, under requests: it reads no proxy settings from the environment, and requests'
layers on top cost as much CPU per message as the encryption itself.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import queue
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import certifi
import urllib3
from py_vapid import Vapid02
from pywebpush import WebPusher

from .push_endpoints import EndpointRefused, Policy, Resolver, check, system_resolver

log = logging.getLogger(__name__)
SIGNATURE_LIFETIME = timedelta(hours=12)  # RFC 8292 allows up to 24 hours
# A slow push service must not stall the worker.
TIMEOUT = urllib3.Timeout(connect=3.05, read=10)


@dataclass(frozen=True)
class Message:
    key: str  # what the caller knows this message by (a reminder id)
    subscription: dict  # {"endpoint", "keys": {"p256dh", "auth"}}
    payload: bytes
    ttl: int  # seconds the push service may hold it for an offline phone
    urgency: str  # very-low | low | normal | high
    topic: str  # <= 32 base64url characters; a newer message with it replaces this one


@dataclass(frozen=True)
class Outcome:
    key: str
    kind: str  # sent | gone | retry | misconfigured | refused
    status: int | None = None
    retry_after: float | None = None  # seconds, when the push service said
    origin: str = ""
    detail: str = ""


def classify(key: str, origin: str, response: urllib3.BaseHTTPResponse) -> Outcome:
    status = response.status
    if status in (200, 201, 202):
        return Outcome(key, "sent", status, origin=origin)
    if status in (404, 410):
        return Outcome(key, "gone", status, origin=origin)
    if status == 429 or status >= 500:
        return Outcome(
            key, "retry", status, parse_retry_after(response.headers.get("Retry-After")), origin
        )
    # 400/401/403/413, redirects and the rest mean our request or keys are wrong: keep the
    # subscription, say so loudly.
    detail = response.data[:200].decode("utf-8", "replace")
    return Outcome(key, "misconfigured", status, origin=origin, detail=detail)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Sender:
    """Sends batches of messages concurrently over one connection pool."""

    def __init__(
        self,
        vapid: Vapid02,
        subject: str,
        policy: Policy,
        resolve: Resolver = system_resolver,
        concurrency: int = 16,
    ) -> None:
        self.vapid, self.subject, self.policy, self.resolve = vapid, subject, policy, resolve
        self.concurrency = concurrency
        # http:// is only ever used for a configured test origin. No retries here (the courier
        # retries later), and no redirects (redirect=False below): a 3xx is classify()'s.
        self.http = urllib3.PoolManager(
            num_pools=32,
            maxsize=concurrency,
            retries=False,
            timeout=TIMEOUT,
            ca_certs=certifi.where(),  # the trust store requests used
        )
        self._signatures: dict[str, tuple[datetime, str]] = {}
        self._lock = threading.Lock()

    def authorization(self, origin: str, now: datetime) -> str:
        """The VAPID header for one push service, signed once and reused until near expiry."""
        with self._lock:
            cached = self._signatures.get(origin)
            if cached and cached[0] - now > timedelta(hours=1):
                return cached[1]
            expires = now + SIGNATURE_LIFETIME
            claims = {"aud": origin, "sub": self.subject, "exp": int(expires.timestamp())}
            header = self.vapid.sign(claims)["Authorization"]
            self._signatures[origin] = (expires, header)
            return header

    def send(self, message: Message, now: datetime) -> Outcome:
        try:
            origin = check(message.subscription["endpoint"], self.policy, self.resolve)
        except EndpointRefused as error:
            return Outcome(message.key, "refused", detail=str(error))
        try:
            body = WebPusher(message.subscription).encode(message.payload, "aes128gcm")["body"]
        except ValueError as error:  # p256dh not a P-256 point, or not base64url
            return Outcome(message.key, "refused", origin=origin, detail=f"unusable keys: {error}")
        headers = {
            "Authorization": self.authorization(origin, now),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(max(0, int(message.ttl))),
            "Urgency": message.urgency,
            "Topic": message.topic,
        }
        try:
            response = self.http.request(
                "POST", message.subscription["endpoint"], body=body, headers=headers, redirect=False
            )
        except urllib3.exceptions.HTTPError as error:
            return Outcome(message.key, "retry", origin=origin, detail=type(error).__name__)
        outcome = classify(message.key, origin, response)
        if outcome.kind == "misconfigured":
            log.error(
                "push service %s refused our message (%s): %s",
                origin,
                outcome.status,
                outcome.detail,
            )
        return outcome

    def send_all(self, messages: Iterable[Message], now: datetime) -> list[Outcome]:
        """Each message's outcome, in order, from `concurrency` threads sending side by side."""
        messages = list(messages)
        outcomes: list[Outcome | None] = [None] * len(messages)
        # Each thread takes the next message when it is free: a future per message would cost
        # about as much CPU as its HTTP request on a fast push service.
        work: queue.SimpleQueue[tuple[int, Message]] = queue.SimpleQueue()
        for item in enumerate(messages):
            work.put(item)

        def drain() -> None:
            with contextlib.suppress(queue.Empty):
                while True:
                    index, message = work.get_nowait()
                    outcomes[index] = self.send(message, now)

        threads = min(self.concurrency, len(messages))
        if threads <= 1:
            drain()
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                for running in [pool.submit(drain) for _ in range(threads)]:
                    running.result()  # a bug in send() fails the pass, not silently a message
        return outcomes

    def close(self) -> None:
        self.http.clear()
