"""Push endpoints the server may contact: known services on public addresses, nothing else."""

import asyncio
import ipaddress

import pytest

from server.reminders.endpoints import BLOCKED_NETWORKS, EndpointRefused, Policy, check, is_blocked
from server.reminders.sender import Sender
from server.reminders.vapid import new_pem, signer
from tests.support.hostile import HOSTILE

PUBLIC = {
    "fcm.googleapis.com": ["142.250.180.10", "2a00:1450:4009:81f::200a"],
    "updates.push.services.mozilla.com": ["34.107.221.82"],
    "web.push.apple.com": ["17.188.168.12"],
    "wns2-par02p.notify.windows.com": ["20.199.120.182"],
}


def resolver(table):
    def resolve(host, _port):
        if host not in table:
            raise OSError("no such host")
        return table[host]

    return resolve


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/dGVzdA",
        "https://FCM.googleapis.com./fcm/send/dGVzdA",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
        "https://web.push.apple.com/QGx1Y2t5",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB",
        "https://fcm.googleapis.com:443/fcm/send/x",
    ],
)
def test_known_push_services_on_public_addresses_are_accepted(endpoint):
    table = {**PUBLIC, "fcm.googleapis.com.": PUBLIC["fcm.googleapis.com"]}
    assert check(endpoint, Policy(), resolver(table)).startswith("https://")


@pytest.mark.parametrize(("endpoint", "reason"), HOSTILE)
def test_hostile_endpoints_are_refused_before_any_lookup(endpoint, reason):
    looked_up = []

    def spy(host, port):
        looked_up.append(host)
        return ["142.250.180.10"]

    with pytest.raises(EndpointRefused, match=reason):
        check(endpoint, Policy(), spy)
    if reason != "at most 2048":
        assert looked_up == []


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.0.0.1"],  # DNS now points inside
        ["127.0.0.1"],
        ["::1"],
        ["169.254.169.254"],
        ["100.100.100.200"],  # CGNAT
        ["142.250.180.10", "192.168.0.10"],  # one bad answer is enough
        ["::ffff:10.0.0.1"],  # IPv4-mapped
        ["64:ff9b::a00:1"],  # NAT64
        ["2002:a9fe:a9fe::1"],  # 6to4 wrapping 169.254.169.254
        ["fd00::1"],  # unique local
        ["0.0.0.0"],
        ["224.0.0.1"],  # multicast
        ["not-an-address"],
        [],
    ],
)
def test_an_allowed_host_that_resolves_inside_is_refused(addresses):
    with pytest.raises(EndpointRefused, match=r"non-public address|could not be resolved"):
        check(
            "https://fcm.googleapis.com/fcm/send/x",
            Policy(),
            resolver({"fcm.googleapis.com": addresses}),
        )


def test_an_unresolvable_host_is_refused():
    with pytest.raises(EndpointRefused, match="could not be resolved"):
        check("https://web.push.apple.com/x", Policy(), resolver({}))


def test_a_test_push_service_is_allowed_only_at_its_exact_origin():
    policy = Policy(extra_origins=("http://127.0.0.1:5999",))
    assert check("http://127.0.0.1:5999/push/1", policy, resolver({})) == "http://127.0.0.1:5999"
    for other in (
        "http://127.0.0.1:6000/push/1",
        "https://127.0.0.1:5999/push/1",
        "http://localhost:5999/push/1",
    ):
        with pytest.raises(EndpointRefused):
            check(other, policy, resolver({}))


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("8.8.8.8", False),
        ("2a00:1450:4009:81f::200a", False),
        ("198.51.100.7", True),
        ("203.0.113.9", True),
        ("192.0.2.1", True),
        ("198.18.0.1", True),
        ("240.0.0.1", True),
        ("255.255.255.255", True),
        ("2001:db8::1", True),
        ("::", True),
        ("ff02::1", True),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", True),  # Teredo
    ],
)
def test_the_blocked_ranges_are_explicit(address, blocked):
    assert is_blocked(address) is blocked


def inside(network) -> str:
    """An address inside `network` (its second, or its only one)."""
    return str(network[1] if network.num_addresses > 1 else network[0])


# Written out here, apart from the server's list: taking a range out there must fail here.
PRIVATE_RANGES = [
    *("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16"),
    *("172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16"),
    *("198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4"),
    *("::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64"),
    *("2001::/23", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10", "fec0::/10"),
    "ff00::/8",
]


def test_the_server_blocks_every_private_range():
    assert {str(network) for network in BLOCKED_NETWORKS} >= set(PRIVATE_RANGES)


@pytest.mark.parametrize("network", [ipaddress.ip_network(n) for n in PRIVATE_RANGES], ids=str)
def test_an_address_in_every_blocked_range_is_refused_at_subscribe_and_at_send(network):
    # An allowed push service whose name resolves into the range (a Docker gateway at
    # 172.17.0.1, a link-local fe80::1, a NAT64 prefix...).
    table = {"fcm.googleapis.com": [inside(network)]}
    endpoint = "https://fcm.googleapis.com/fcm/send/x"
    with pytest.raises(EndpointRefused, match="non-public address"):
        check(endpoint, Policy(), resolver(table))  # what subscribing checks
    sender = Sender(signer(new_pem()), "mailto:ops@example.test", Policy())
    try:
        with pytest.raises(EndpointRefused, match="non-public address"):
            sender.approve(endpoint, resolver(table))  # what sending checks again
    finally:
        sender.close()


def test_the_sender_connects_only_to_the_addresses_it_checked():
    # DNS rebinding: a public address when checked, then the server's own loopback.
    answers = iter([["142.250.180.10"], ["127.0.0.1"]])

    def rebinding(_host, _port):
        return next(answers)

    sender = Sender(signer(new_pem()), "mailto:ops@example.test", Policy())
    try:
        sender.approve("https://fcm.googleapis.com/fcm/send/x", rebinding)
        # The connection's own lookup is the pinned one: the checked address, however the
        # name resolves now; a host never checked is not connected to at all.
        # On the sender's own loop: a browser test's loop may be running in this thread.
        pinned = _on_loop(sender, sender.pinned.resolve("fcm.googleapis.com", 443))
        assert [entry["host"] for entry in pinned] == ["142.250.180.10"]
        with pytest.raises(OSError, match="not checked"):
            _on_loop(sender, sender.pinned.resolve("elsewhere.example", 443))
        session = _on_loop(sender, _session(sender))
        assert session.connector._resolver is sender.pinned
    finally:
        sender.close()


def _on_loop(sender, coroutine):
    return asyncio.run_coroutine_threadsafe(coroutine, sender._loop).result()


async def _session(sender):
    sender._session = sender.new_session()
    return sender._session
