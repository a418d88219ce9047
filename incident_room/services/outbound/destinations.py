"""Where the server may send: public addresses, and internal ones the operator allows.

Internal means loopback, private, shared (CGNAT), link-local (cloud metadata at
169.254.169.254), multicast, reserved and unspecified addresses, also when an IPv6 address
carries one inside it (IPv4-mapped, NAT64, 6to4, Teredo). The check is made on the
addresses a host name resolves to at send time, whatever spelling the URL used
(`2130706433`, `0x7f.1` and `localhost` all resolve to 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from ...config import Network
from ...errors import invalid

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")
SCHEMES = {"http": 80, "https": 443}
MAX_URL_LENGTH = 500


class DestinationRefused(Exception):
    """The host resolves only to addresses this server must not reach."""


@dataclass(frozen=True)
class Target:
    """A URL taken apart into what the connection needs."""

    scheme: str
    host: str
    port: int
    path: str


def parse_target(url: str) -> Target:
    """An http(s) URL's parts, or ValueError."""
    if len(url) > MAX_URL_LENGTH:
        raise ValueError("URL too long")
    parts = urlsplit(url.strip())
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError("not an http(s) URL with a host")
    port = parts.port or SCHEMES[parts.scheme]  # .port raises ValueError when out of range
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path)


def _carried_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, when it stands for one."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    return address.teredo[1] if address.teredo is not None else None


def is_internal(address: Address) -> bool:
    """Not a public unicast address (or an IPv6 one standing for such an IPv4 address)."""
    effective = _carried_ipv4(address) or address
    return not effective.is_global or effective.is_multicast


def is_allowed(address: Address, allowed: tuple[Network, ...]) -> bool:
    """Public addresses always; internal ones only inside an allowed network."""
    if not is_internal(address):
        return True
    candidates = {address, _carried_ipv4(address) or address}
    return any(
        candidate.version == network.version and candidate in network
        for candidate in candidates
        for network in allowed
    )


def allowed_networks() -> tuple[Network, ...]:
    return current_app.config["OUTBOUND_ALLOW_INTERNAL"]


def resolve(host: str, port: int) -> list[tuple[int, tuple]]:
    """The (family, socket address) pairs of `host` this server may connect to, in the
    resolver's order; DestinationRefused when it resolves only to forbidden ones.
    Raises socket.gaierror when it does not resolve."""
    allowed = allowed_networks()
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    usable = [
        (family, sockaddr)
        for family, _, _, _, sockaddr in found
        if is_allowed(ipaddress.ip_address(sockaddr[0].split("%")[0]), allowed)
    ]
    if not usable:
        raise DestinationRefused(host)
    return usable


def check_url(url: str, field: str = "url") -> Target:
    """Refuse, when it is given, a URL the server will refuse to send to.

    A host that does not resolve yet is accepted (it may by the time something is sent);
    the address is checked again at every send in any case.
    """
    try:
        target = parse_target(url)
    except ValueError:
        raise invalid(field, "Give an http:// or https:// URL.") from None
    try:
        resolve(target.host, target.port)
    except DestinationRefused:
        raise invalid(
            field,
            "That address is internal (loopback, private or link-local): the server does "
            "not send there unless an operator allows its network.",
        ) from None
    except (OSError, UnicodeError):
        pass
    return target
