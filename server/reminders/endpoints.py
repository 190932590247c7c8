"""Which push endpoints the server may ever POST to: known push services on public addresses.

A push subscription's endpoint is a URL the browser gives us, so to the server it is user
input. Without these checks a client could make the reminder worker POST into the private
network (a metadata service, an admin port). Checked when a subscription is stored and again
before every send, since a host's DNS can change after it was accepted.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

from flask import Config

# The push services of Chrome/Android (FCM), Firefox (autopush), Safari (Apple) and Edge (WNS).
DEFAULT_ALLOWED_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.services.mozilla.com",
    "web.push.apple.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)

# Spelled out rather than trusting ipaddress's is_private and friends: the Python on our
# machines predates fixes to those ranges, and some of these (CGNAT, NAT64) never counted.
BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/128",
        "::1/128",
        "::ffff:0:0/96",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "2002::/16",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
)

Resolver = Callable[[str, int], Iterable[str]]


class EndpointRefused(ValueError):
    """The endpoint is not one the server will contact; the message says why."""


@dataclass(frozen=True)
class Policy:
    allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS
    # Origins allowed exactly as written, even over http on loopback: a staging push service
    # (PUSH_EXTRA_ORIGINS) or the tests' own.
    extra_origins: tuple[str, ...] = ()

    @classmethod
    def of(cls, config: Config) -> Policy:
        """The app's policy: PUSH_ALLOWED_HOSTS and PUSH_EXTRA_ORIGINS."""
        return cls(tuple(config["PUSH_ALLOWED_HOSTS"]), tuple(config["PUSH_EXTRA_ORIGINS"]))


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


@dataclass(frozen=True)
class Approved:
    origin: str
    host: str | None  # None for an extra origin, allowed as written
    addresses: tuple[str, ...]  # what the host resolved to when checked: connect to these only


def check(endpoint: str, policy: Policy, resolve: Resolver = system_resolver) -> str:
    """The endpoint's origin if the server may POST to it; raises EndpointRefused otherwise."""
    return approve(endpoint, policy, resolve).origin


def approve(endpoint: str, policy: Policy, resolve: Resolver = system_resolver) -> Approved:
    """The endpoint checked, with the addresses that were checked; EndpointRefused otherwise."""
    if not isinstance(endpoint, str) or len(endpoint) > 2048:
        raise EndpointRefused("The endpoint must be a URL of at most 2048 characters.")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError as error:
        raise EndpointRefused("The endpoint is not a valid URL.") from error
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    if origin in policy.extra_origins:
        return Approved(origin, None, ())
    if parts.scheme != "https":
        raise EndpointRefused("Only https push endpoints are accepted.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise EndpointRefused("Push endpoints may not carry a user name or password.")
    if port not in (None, 443):
        raise EndpointRefused("Push endpoints must use the standard https port.")
    host = (parts.hostname or "").rstrip(".")
    if not host or _is_ip_literal(host):
        raise EndpointRefused("Push endpoints must name a push service, not an address.")
    try:
        host.encode("idna")  # an empty label or one over 63 characters is no host name
    except UnicodeError:
        raise EndpointRefused("The endpoint's host is not a valid name.") from None
    if not any(fnmatchcase(host, pattern) for pattern in policy.allowed_hosts):
        raise EndpointRefused(f"{host} is not a known push service.")
    try:
        addresses = list(resolve(host, 443))
    except (OSError, UnicodeError) as error:
        raise EndpointRefused(f"{host} could not be resolved.") from error
    if not addresses:
        raise EndpointRefused(f"{host} could not be resolved.")
    for address in addresses:
        if is_blocked(address):
            raise EndpointRefused(f"{host} resolves to a non-public address.")
    return Approved(origin, host, tuple(addresses))


def is_blocked(address: str) -> bool:
    """True for any address that is not plainly public, including v4 hidden inside v6."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if any(ip in network for network in BLOCKED_NETWORKS if network.version == ip.version):
        return True
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo or (None, None))[1]
        if embedded is not None and is_blocked(str(embedded)):
            return True
    return False


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    # inet_aton accepts decimal (2130706433), octal (0177.0.0.1) and short (127.1) forms.
    try:
        socket.inet_aton(host)
        return True
    except OSError:
        return host.replace(".", "").isdigit() or host.lower().startswith("0x")
