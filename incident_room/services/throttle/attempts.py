"""Logging in and presenting API tokens, counted: guessing backs off, the owner barely notices."""

from __future__ import annotations

import ipaddress

from ...models import User
from ..accounts import authenticate, user_for_token
from .backoff import Key, forget, note_failure, refuse_while_waiting
from .policy import BAD_TOKEN_ADDRESS, LOGIN_ACCOUNT, LOGIN_ACCOUNT_ADDRESS, LOGIN_ADDRESS

IPV6_CLIENT_PREFIX = 64  # one host may hold a whole /64: count it as one address


def client_network(address: str | None) -> str:
    """The address a client is counted by: IPv4 as it is, IPv6 by its /64."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(parsed)


def log_in(username: str, password: str, address: str | None) -> User | None:
    """The enabled user with this name and password, or None; `rate_limited` (with
    `retry_after`) while the account, the address or the pair waits for earlier failures."""
    name = username.strip().lower()[:64]
    network = client_network(address)
    pair = Key(LOGIN_ACCOUNT_ADDRESS, f"{name}|{network}")
    account = Key(LOGIN_ACCOUNT, name)
    keys = [pair, account, Key(LOGIN_ADDRESS, network)]
    refuse_while_waiting(keys, username=name, address=network)
    user = authenticate(username, password)
    if user is None:
        note_failure(keys)
    else:
        forget([pair, account])
    return user


def user_for_presented_token(token: str, address: str | None) -> User | None:
    """The token's user; an unknown token counts against the address that sent it, which
    gets `rate_limited` once it has sent too many (a valid token is never held up)."""
    user = user_for_token(token)
    if user is None:
        network = client_network(address)
        key = Key(BAD_TOKEN_ADDRESS, network)
        refuse_while_waiting([key], address=network)
        note_failure([key])
    return user
