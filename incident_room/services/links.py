"""Addresses of the app's pages as people outside it follow them (mail, webhooks, tickets):
PUBLIC_URL plus the path, or the bare path when no public address is configured."""

from __future__ import annotations

from flask import current_app


def public_url(path: str) -> str:
    base = current_app.config.get("PUBLIC_URL") or ""
    return f"{base.rstrip('/')}{path}"
