"""Sending one POST to a checked address: status or a coarse reason, never an exception.

http.client (no proxies, no redirects) with its connection made by `_connect_checked`, which
resolves the host once, keeps only the addresses `destinations.resolve` allows and
connects to one of those: what was checked is what is reached. TLS still verifies the
certificate against the host name. The reasons are deliberately coarse (no receiver text,
no "connection refused" versus "no route"): they are shown to people, and fine-grained
ones would turn a settings page into a port scanner.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .destinations import DestinationRefused, parse_target, resolve

USER_AGENT = "IncidentRoom/1"
RESPONSE_READ_LIMIT = 64 * 1024

BLOCKED = "blocked: not a public address"
UNREACHABLE = "unreachable"
TIMED_OUT = "timed out"
REDIRECT = "redirect not followed"
INVALID_URL = "invalid URL"
JSON_HEADERS = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Outcome:
    """What came of a request: the HTTP status when one came back, why it failed, and the
    first RESPONSE_READ_LIMIT bytes of the answer (an API's reply is read by its caller)."""

    status: int | None
    error: str | None
    body: bytes = b""

    @property
    def ok(self) -> bool:
        return self.error is None


def _connect_checked(address: tuple[str, int], timeout: float, source_address: Any = None):
    """socket.create_connection, but only to addresses the outbound rules allow."""
    host, port = address
    last_error: OSError | None = None
    for family, sockaddr in resolve(host, port):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
            return sock
        except OSError as error:
            sock.close()
            last_error = error
    raise last_error or OSError(f"no address for {host}")


def _connection(scheme: str, host: str, port: int, timeout: float) -> http.client.HTTPConnection:
    if scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
    connection._create_connection = _connect_checked  # type: ignore[attr-defined]
    return connection


def _outcome(status: int, body: bytes) -> Outcome:
    if 200 <= status < 300:
        return Outcome(status, None, body)
    if 300 <= status < 400:
        return Outcome(status, REDIRECT, body)
    return Outcome(status, f"HTTP {status}", body)


def post(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> Outcome:
    """POST `body` to `url`; any 2xx is success. Never raises for network trouble."""
    try:
        target = parse_target(url)
    except ValueError:
        return Outcome(None, INVALID_URL)
    connection = _connection(target.scheme, target.host, target.port, timeout)
    try:
        connection.request(
            "POST", target.path, body=body, headers={"User-Agent": USER_AGENT, **headers}
        )
        response = connection.getresponse()
        return _outcome(response.status, response.read(RESPONSE_READ_LIMIT))
    except DestinationRefused:
        return Outcome(None, BLOCKED)
    except TimeoutError:
        return Outcome(None, TIMED_OUT)
    except (OSError, http.client.HTTPException, UnicodeError):
        return Outcome(None, UNREACHABLE)
    finally:
        connection.close()


def json_body(payload: Any) -> bytes:
    """`payload` as compact JSON bytes, to sign and then `post` with JSON_HEADERS."""
    return json.dumps(payload, separators=(",", ":")).encode()
