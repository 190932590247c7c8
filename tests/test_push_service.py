"""The loopback push service against pywebpush: what it accepts, decrypts, refuses and scripts."""

import json
import socket
import threading
import time

import http_ece
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid01, Vapid02
from pywebpush import WebPusher, WebPushException, webpush

from tests.support.push_crypto import b64url_decode, b64url_encode, point_bytes
from tests.support.push_service import PushService, Subscription, push_service_fixture  # noqa: F401

SUB = "mailto:ops@aftercue.example"
# A fixed instant for tests that sign their own tokens, so none of them reads the wall clock.
NOW = 1_800_000_000


@pytest.fixture(scope="module")
def vapid() -> Vapid02:
    """The application server's VAPID key."""
    key = Vapid02()
    key.generate_keys()
    return key


def vapid_key(key: Vapid01) -> str:
    """A VAPID key's public half as `k` and applicationServerKey carry it."""
    return b64url_encode(point_bytes(key.public_key))


def send(subscription, data, vapid, ttl=60, headers=None):
    """Send as the app would; a fresh claims dict each time, as pywebpush writes aud and exp in."""
    return webpush(
        subscription,
        data,
        vapid_private_key=vapid,
        vapid_claims={"sub": SUB} if vapid else None,
        content_encoding="aes128gcm",
        ttl=ttl,
        headers={"Urgency": "high", "Topic": "abc"} if headers is None else headers,
        timeout=5,
    )


def post(subscription, body, headers, **options):
    """A hand-built push request, for what pywebpush will not send."""
    return requests.post(subscription["endpoint"], data=body, headers=headers, timeout=5, **options)


def encrypt(subscription, data: bytes) -> bytes:
    """An aes128gcm body built by pywebpush (through http_ece) for this subscription."""
    return WebPusher(subscription).encode(data, "aes128gcm")["body"]


def signed(vapid, audience, **claims) -> dict[str, str]:
    """Valid push headers but for the given changes to the VAPID claims, with no TTL."""
    claims = {"sub": SUB, "aud": audience, "exp": NOW + 3600} | claims
    return {"Content-Encoding": "aes128gcm"} | vapid.sign(claims)


def status_of(sending) -> int:
    """The status pywebpush raised for, from a callable expected to fail."""
    with pytest.raises(WebPushException) as raised:
        sending()
    return raised.value.response.status_code


def test_subscription_looks_like_a_browsers(push_service):
    subscription = push_service.subscribe()
    assert subscription["endpoint"] == f"{push_service.base_url}/push/{subscription.id}"
    assert push_service.base_url.startswith("http://127.0.0.1:")
    public_key = b64url_decode(subscription["keys"]["p256dh"])
    assert len(public_key) == 65 and public_key[0] == 0x04
    assert len(b64url_decode(subscription["keys"]["auth"])) == 16
    assert json.loads(json.dumps(subscription)) == subscription


def test_plaintext_round_trips(push_service, vapid):
    subscription = push_service.subscribe()
    reminder = {"title": "Moisturise your scalp", "at": "2026-11-24T09:00:00Z", "text": "é" * 50}

    response = send(subscription, json.dumps(reminder), vapid)

    assert response.status_code == 201
    assert response.headers["Location"].startswith(f"{push_service.base_url}/message/")
    [message] = push_service.pending(subscription.id)
    assert message.plaintext == json.dumps(reminder).encode()
    assert message.payload == reminder
    assert (message.ttl, message.urgency, message.topic) == (60, "high", "abc")
    assert (message.vapid_sub, message.vapid_key) == (SUB, vapid_key(vapid))
    assert push_service.messages(subscription.id) == [message]
    assert push_service.rejections == []


def test_defaults_and_a_push_without_payload(push_service, vapid):
    subscription = push_service.subscribe()
    send(subscription, None, vapid, headers={})
    [message] = push_service.log
    assert message.plaintext is None and message.payload is None
    assert (message.urgency, message.topic) == ("normal", None)


def test_signature_by_another_key_is_rejected(push_service, vapid):
    subscription = push_service.subscribe()
    intruder = Vapid02()
    intruder.generate_keys()
    token = intruder.sign({"sub": SUB, "aud": push_service.origin})["Authorization"]
    forged = token.split(",k=")[0] + ",k=" + vapid_key(vapid)

    status = status_of(lambda: send(subscription, "hi", None, headers={"Authorization": forged}))

    assert status == 403
    assert push_service.log == []
    assert push_service.rejections[-1].reason == "the JWT signature does not verify with k"


def test_restricted_subscription_accepts_only_its_key(push_service, vapid):
    subscription = push_service.subscribe(application_server_key=vapid_key(vapid))
    other = Vapid02()
    other.generate_keys()
    assert status_of(lambda: send(subscription, "hi", other)) == 403
    assert send(subscription, "hi", vapid).status_code == 201


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ({}, 201),
        ({"exp": NOW - 1}, 403),
        ({"exp": NOW}, 403),
        ({"exp": NOW + 24 * 3600}, 201),
        ({"exp": NOW + 24 * 3600 + 1}, 403),
        ({"aud": "https://fcm.googleapis.com"}, 403),
        ({"sub": "ops@aftercue.example"}, 403),
        ({"sub": "https://aftercue.example/contact"}, 201),
    ],
)
def test_vapid_claims_are_checked(claims, status, vapid):
    lax = Vapid02(vapid.private_key, conf={"no-strict": True})  # so py_vapid signs a bad sub
    with PushService(clock=lambda: NOW) as service:
        subscription = service.subscribe()
        headers = signed(lax, service.origin, **claims) | {"TTL": "60"}
        assert post(subscription, encrypt(subscription, b"hi"), headers).status_code == status


def test_reusing_a_claims_dict_across_push_services_is_refused(vapid):
    claims = {"sub": SUB}
    with PushService() as first, PushService() as second:
        webpush(first.subscribe(), "hi", vapid_private_key=vapid, vapid_claims=claims, ttl=60)
        # pywebpush wrote the first service's origin into the dict as `aud` and keeps it.
        assert claims["aud"] == first.origin
        with pytest.raises(WebPushException):
            webpush(second.subscribe(), "hi", vapid_private_key=vapid, vapid_claims=claims, ttl=60)
        assert second.rejections[0].reason == f"aud must be the push service origin {second.origin}"


def test_missing_or_legacy_authorization_is_401(push_service, vapid):
    subscription = push_service.subscribe()
    legacy = Vapid01(vapid.private_key)
    assert status_of(lambda: send(subscription, "hi", legacy)) == 401
    assert status_of(lambda: send(subscription, "hi", None)) == 401
    assert [(r.status, r.reason) for r in push_service.rejections] == 2 * [
        (401, "expected Authorization: vapid t=<JWT>, k=<key> (RFC 8292)")
    ]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"TTL": "60"}, 201),
        ({}, 400),
        ({"TTL": "soon"}, 400),
        ({"TTL": "-1"}, 400),
        ({"TTL": "60", "Urgency": "very-low"}, 201),
        ({"TTL": "60", "Urgency": "urgent"}, 400),
        ({"TTL": "60", "Topic": "a" * 32}, 201),
        ({"TTL": "60", "Topic": "a" * 33}, 400),
        ({"TTL": "60", "Topic": "reminder.1"}, 400),
        ({"TTL": "60", "Content-Encoding": "aesgcm"}, 415),
    ],
)
def test_delivery_headers_are_checked(headers, status, vapid):
    with PushService(clock=lambda: NOW) as service:
        subscription = service.subscribe()
        request_headers = signed(vapid, service.origin) | headers
        assert (
            post(subscription, encrypt(subscription, b"hi"), request_headers).status_code == status
        )


def test_tampered_or_oversized_bodies_are_refused(vapid):
    with PushService(clock=lambda: NOW) as service:
        subscription = service.subscribe()
        headers = signed(vapid, service.origin) | {"TTL": "60"}
        tampered = bytearray(encrypt(subscription, b"hello"))
        tampered[-20] ^= 1
        too_big = encrypt(subscription, b"x" * 3994)  # 86 + 3994 + 1 + 16 = 4097 bytes

        assert post(subscription, bytes(tampered), headers).status_code == 400
        assert post(subscription, too_big, headers).status_code == 413
        assert post(subscription, encrypt(subscription, b"x" * 3993), headers).status_code == 201
        assert [r.reason for r in service.rejections] == [
            "cannot decrypt: ciphertext does not authenticate with these keys",
            "body of 4097 bytes exceeds 4096",
        ]


def with_record_size(body: bytes, record_size: int) -> bytes:
    """The body with its unauthenticated rs header field replaced."""
    return body[:16] + record_size.to_bytes(4, "big") + body[20:]


def test_record_framing_follows_rfc_8291(vapid):
    with PushService(clock=lambda: NOW) as service:
        subscription = service.subscribe()
        headers = signed(vapid, service.origin) | {"TTL": "60"}
        public_key = b64url_decode(subscription["keys"]["p256dh"])
        auth = b64url_decode(subscription["keys"]["auth"])
        sender = ec.generate_private_key(ec.SECP256R1())
        # rs=40 makes http_ece split 30 bytes in two records, the first ending in 0x01.
        two = http_ece.encrypt(
            b"x" * 30, private_key=sender, dh=public_key, auth_secret=auth, rs=40
        )
        one = encrypt(subscription, b"hello")  # a record of 5 + 1 + 16 = 22 bytes

        for body in [two, two[: 86 + 40], with_record_size(one, 22), with_record_size(one, 23)]:
            post(subscription, body, headers)

        assert [r.reason.removeprefix("cannot decrypt: ") for r in service.rejections] == [
            "more than one record of rs=40",
            "the last record's padding delimiter must be 0x02",
            "rs must exceed the length of the only record (RFC 8291 §4)",
        ]
        [message] = service.log
        assert message.plaintext == b"hello"


def test_bodies_must_have_a_sane_content_length(push_service):
    subscription = push_service.subscribe()
    chunked = post(subscription, iter([b"x"]), {"TTL": "0"})
    huge = post(subscription, b"x" * 300_000, {"TTL": "0"})
    assert (chunked.status_code, huge.status_code) == (411, 413)
    assert push_service.requests == 0


def test_topic_replaces_only_the_undelivered_message(push_service, vapid):
    subscription = push_service.subscribe()
    for text, topic in [("first", "abc"), ("second", "abc"), ("other", "xyz")]:
        send(subscription, text, vapid, headers={"Topic": topic})

    delivered = push_service.deliver(subscription.id)
    send(subscription, "third", vapid, headers={"Topic": "abc"})

    assert [m.plaintext for m in delivered] == [b"second", b"other"]
    assert [m.plaintext for m in push_service.pending(subscription.id)] == [b"third"]
    assert len(push_service.messages(subscription.id)) == 4


def test_message_outliving_its_ttl_is_not_pending(push_service, vapid):
    subscription = push_service.subscribe()
    send(subscription, "now or never", vapid, ttl=0)
    send(subscription, "within a minute", vapid, ttl=60, headers={})
    [message] = push_service.pending(subscription.id)
    assert message.plaintext == b"within a minute"
    assert push_service.pending(subscription.id, at=message.received_at + 60) == []
    assert len(push_service.log) == 2


def test_scripted_gone_and_too_many_requests(push_service, vapid):
    subscription, bystander = push_service.subscribe(), push_service.subscribe()
    push_service.respond_next(subscription.id, 410)
    push_service.respond_next(None, 429, {"Retry-After": "1"}, times=2)

    assert status_of(lambda: send(subscription, "a", vapid)) == 410
    with pytest.raises(WebPushException) as raised:
        send(bystander, "b", vapid)
    assert (raised.value.status_code, raised.value.retry_after) == (429, "1")
    assert status_of(lambda: send(subscription, "c", vapid)) == 429
    assert send(subscription, "d", vapid).status_code == 201
    assert [r.status for r in push_service.rejections] == [410, 429, 429]
    assert push_service.requests == 4


def test_unknown_and_unsubscribed_subscriptions(push_service, vapid):
    subscription = push_service.subscribe()
    unknown = Subscription(subscription, endpoint=f"{push_service.base_url}/push/nobody")
    assert status_of(lambda: send(unknown, "hi", vapid)) == 404
    push_service.unsubscribe(subscription.id)
    assert status_of(lambda: send(subscription, "hi", vapid)) == 410


def test_accept_only_counts_without_decrypting(push_service, vapid):
    subscription = push_service.subscribe()
    push_service.accept_only = True
    for topic in ["a", "a", "b"]:
        send(subscription, "hi", vapid, headers={"Topic": topic})
    post(subscription, b"not even encrypted", {})

    assert (push_service.requests, push_service.accepted) == (4, 4)
    assert push_service.distinct_messages == 3
    assert push_service.log == []


def test_redirects_are_recorded_where_they_land(push_service, vapid):
    subscription = push_service.subscribe()
    push_service.redirect_next(subscription.id, 307, times=3)

    response = post(subscription, b"x", {"TTL": "0"}, allow_redirects=False)
    with requests.Session() as session, pytest.raises(requests.TooManyRedirects):
        session.max_redirects = 0  # one way to keep pywebpush from following
        webpush(
            subscription,
            "hi",
            vapid_private_key=vapid,
            vapid_claims={"sub": SUB},
            ttl=60,
            requests_session=session,
        )
    assert response.status_code == 307
    assert response.headers["Location"] == f"{push_service.base_url}/landed"
    assert push_service.landings == []

    # By default pywebpush follows a 307, resending the body and the VAPID token.
    assert send(subscription, "hi", vapid).status_code == 201
    [landing] = push_service.landings
    assert landing.method == "POST" and landing.headers["authorization"].startswith("vapid ")
    assert push_service.log == []


def test_latency_delays_each_reply(push_service, vapid):
    subscription = push_service.subscribe()
    push_service.latency = 0.1
    started = time.monotonic()
    send(subscription, "hi", vapid)
    assert time.monotonic() - started >= 0.1


def test_concurrent_pushes_over_kept_alive_connections_are_all_kept(push_service, vapid):
    subscription = push_service.subscribe()

    def push_five(worker: int) -> None:
        with requests.Session() as session:
            for n in range(5):
                webpush(
                    subscription,
                    f"{worker}-{n}",
                    vapid_private_key=vapid,
                    vapid_claims={"sub": SUB},
                    ttl=60,
                    requests_session=session,
                    timeout=5,
                )

    workers = [threading.Thread(target=push_five, args=(w,)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(m.plaintext for m in push_service.log) == sorted(
        f"{w}-{n}".encode() for w in range(4) for n in range(5)
    )
    assert push_service.distinct_messages == 20


def test_stop_closes_kept_alive_connections():
    service = PushService().start()
    with socket.create_connection(("127.0.0.1", int(service.origin.rsplit(":", 1)[1]))) as client:
        client.settimeout(2)
        client.sendall(b"GET /nowhere HTTP/1.1\r\nHost: push\r\n\r\n")
        response = client.recv(4096)
        started = time.monotonic()
        service.stop()
        assert time.monotonic() - started < 1
        # The server closes the connection, so this ends rather than timing out.
        while chunk := client.recv(4096):
            response += chunk
    assert response.startswith(b"HTTP/1.1 404") and response.endswith(b'"not here"}')
