"""Which browser origins may open a Socket.IO connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def request_origins(environ: dict[str, Any]) -> set[str]:
    """The origin(s) this request was addressed to, including behind a proxy."""
    host = environ.get("HTTP_X_FORWARDED_HOST") or environ.get("HTTP_HOST", "")
    scheme = environ.get("HTTP_X_FORWARDED_PROTO", environ.get("wsgi.url_scheme", "http"))
    scheme = scheme.split(",")[0].strip()
    direct = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
    return {f"{scheme}://{host.split(',')[0].strip()}", direct}


def same_origin_or(allowed: list[str]) -> Callable[[str | None, dict[str, Any]], bool]:
    """Same-origin connections always; cross-origin ones only from ALLOWED_ORIGINS."""
    configured = {origin.rstrip("/") for origin in allowed}

    def is_allowed(origin: str | None, environ: dict[str, Any]) -> bool:
        if origin is None:
            return True  # not a browser: the session cookie still decides
        return origin in configured or origin in request_origins(environ)

    return is_allowed
