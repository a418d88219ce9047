"""Logging in through the real login form, from the Flask test client or over HTTP."""

from __future__ import annotations

import re

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1)


def login(client, username: str, password: str = "password-123"):
    """Log the Flask test client in; returns the POST response."""
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
