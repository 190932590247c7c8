"""Sending Web Push messages safely: our own HTTP request around pywebpush's encryption.

pywebpush's `webpush()` has unsafe defaults for a server that sends to URLs its users give it:
TTL 0 (the message is dropped if the phone is asleep), no timeout, redirects followed, proxy
settings read per request, and a new VAPID signature for every message. Here: pywebpush
encrypts (aes128gcm); we sign VAPID once per push-service origin, check the endpoint again,
and POST with bounded timeouts and no redirects, `concurrency` at a time over one aiohttp
session (kept-alive connections, no proxy read from the environment). One event loop rather
than a thread per request: on a fast push service a thread pool and requests cost the worker
several times the CPU of the encryption itself.
"""

from __future__ import annotations

import asyncio
import email.utils
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import aiohttp
import certifi
from aiohttp.abc import AbstractResolver
from py_vapid import Vapid02
from pywebpush import WebPusher

from .endpoints import EndpointRefused, Policy, Resolver, approve, system_resolver

SIGNATURE_LIFETIME = timedelta(hours=12)  # RFC 8292 allows up to 24 hours
# A slow push service must not stall the worker.
TIMEOUT = aiohttp.ClientTimeout(total=15, sock_connect=3.05, sock_read=10)


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
    kind: str  # sent | gone | busy (the service) | retry (this request) | misconfigured | refused
    status: int | None = None
    retry_after: float | None = None  # seconds, when the push service said
    origin: str = ""
    detail: str = ""


def classify(
    key: str, origin: str, status: int, headers: Mapping[str, str], body: bytes
) -> Outcome:
    """What a push service's answer means for the message; `headers` match case-blind."""
    if status in (200, 201, 202):
        return Outcome(key, "sent", status, origin=origin)
    if status in (404, 410):
        return Outcome(key, "gone", status, origin=origin)
    retry_after = parse_retry_after(headers.get("Retry-After"))
    if status in (429, 503):  # the whole service asks everyone to wait
        return Outcome(key, "busy", status, retry_after, origin)
    if status >= 500:  # this one request failed: this subscription tries again
        return Outcome(key, "retry", status, retry_after, origin)
    # 400/401/403/413, redirects and the rest mean our request or keys are wrong: keep the
    # subscription, say so loudly.
    if 300 <= status < 400:
        detail = f"redirected to {headers.get('Location', '(nowhere)')}"[:200]
    else:
        detail = body[:200].decode("utf-8", "replace")
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


class PinnedResolver(AbstractResolver):
    """The sender's resolver: a host resolves only to the addresses its check approved.

    Without it the connection would resolve the host again, and a name whose DNS changed in
    between (rebinding) could send the request to the private network after all.
    """

    def __init__(self) -> None:
        self.addresses: dict[str, tuple[str, ...]] = {}

    def pin(self, host: str, addresses: tuple[str, ...]) -> None:
        self.addresses[host] = addresses

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list:
        addresses = self.addresses.get(host.rstrip(".").lower())
        if not addresses:
            raise OSError(f"{host} was not checked: not connecting")
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            }
            for address in addresses
        ]

    async def close(self) -> None:
        pass


class Sender:
    """Sends batches of messages concurrently; call close() when done with it."""

    def __init__(
        self,
        vapid: Vapid02,
        subject: str,
        policy: Policy,
        resolve: Resolver = system_resolver,
        concurrency: int = 16,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.vapid, self.subject, self.policy, self.resolve = vapid, subject, policy, resolve
        # Signatures are dated by the real time (a push service checks their expiry by its
        # own clock), even when the worker is asked to act as of another moment.
        self.clock = clock or (lambda: datetime.now(UTC))
        self.concurrency = concurrency
        self._signatures: dict[str, tuple[datetime, str]] = {}
        # The session lives in this loop between batches, so connections stay open. The loop
        # runs in a thread of its own: the caller's thread may be running a loop already.
        self._loop = asyncio.new_event_loop()
        self._session: aiohttp.ClientSession | None = None
        self.pinned = PinnedResolver()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="push-sender", daemon=True
        )
        self._thread.start()

    def authorization(self, origin: str, now: datetime) -> str:
        """The VAPID header for one push service, signed once and reused until near expiry."""
        cached = self._signatures.get(origin)
        if cached and cached[0] - now > timedelta(hours=1):
            return cached[1]
        expires = now + SIGNATURE_LIFETIME
        claims = {"aud": origin, "sub": self.subject, "exp": int(expires.timestamp())}
        header = self.vapid.sign(claims)["Authorization"]
        self._signatures[origin] = (expires, header)
        return header

    def approve(self, endpoint: str, resolve: Resolver) -> str:
        """Check the endpoint again and pin its host to the addresses checked; its origin."""
        approved = approve(endpoint, self.policy, resolve)
        if approved.host is not None:
            self.pinned.pin(approved.host, approved.addresses)
        return approved.origin

    def send_all(self, messages: Iterable[Message]) -> list[Outcome]:
        """Each message's outcome, in order."""
        sending = self._send_all(list(messages), self.clock())
        return asyncio.run_coroutine_threadsafe(sending, self._loop).result()

    async def _send_all(self, messages: list[Message], now: datetime) -> list[Outcome]:
        if self._session is None:
            self._session = self.new_session()
        # The allow-list and addresses are checked again at send time, each host resolved
        # once per batch (the lookup blocks, and a batch goes to a handful of services).
        resolve = cache(self.resolve)
        slots = asyncio.Semaphore(self.concurrency)

        async def one(message: Message) -> Outcome:
            async with slots:
                return await self._send(message, now, resolve)

        return await asyncio.gather(*(one(message) for message in messages))

    def new_session(self) -> aiohttp.ClientSession:
        """The sender's one HTTP session; made in its loop, kept between batches."""
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                limit=self.concurrency,
                ssl=ssl.create_default_context(cafile=certifi.where()),
                resolver=self.pinned,  # the addresses checked, never a second lookup
            ),
            timeout=TIMEOUT,
            trust_env=False,  # no proxies or .netrc taken from the environment
            auto_decompress=False,
        )

    async def _send(self, message: Message, now: datetime, resolve: Resolver) -> Outcome:
        try:
            origin = self.approve(message.subscription["endpoint"], resolve)
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
        assert self._session is not None
        try:
            async with self._session.post(
                message.subscription["endpoint"],
                data=body,
                headers=headers,
                allow_redirects=False,
            ) as response:
                answer = await response.content.read(4096)
                return classify(message.key, origin, response.status, response.headers, answer)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return Outcome(message.key, "retry", origin=origin, detail=type(error).__name__)

    def close(self) -> None:
        if self._loop.is_closed():
            return
        if self._session is not None:
            asyncio.run_coroutine_threadsafe(self._session.close(), self._loop).result()
            self._session = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
