"""The HTTP edge's rate limits (Flask-Limiter, moving window, storage shared by the
workers): the JSON API per token, declarations per person; and every 429's answer.

A refusal is HTTP 429 with `Retry-After` (whole seconds): the documented error shape
(`rate_limited`, `retry_after`) under /api, a page saying so elsewhere; each one is logged
as one JSON line.
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_limiter import RequestLimit
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user

from ..errors import DomainError
from ..extensions import limiter
from ..services.sessions import secret_digest
from ..services.throttle.attempts import client_network

log = logging.getLogger("incident_room.security")


def api_client() -> str:
    """Who an API request counts against: its token, else its session's user, else its
    address."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return "token:" + secret_digest(header.removeprefix("Bearer ").strip())[:32]
    return person()


def person() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return "address:" + client_network(request.remote_addr)


def _log_breach(limit: RequestLimit) -> None:
    log.warning(
        "rate limited",
        extra={"limit": str(limit.limit), "key": limit.key, "path": request.path},
    )


api_limit = limiter.limit(
    lambda: current_app.config["RATE_LIMIT_API"], key_func=api_client, on_breach=_log_breach
)
# One count for the form and the API alike.
declaration_limit = limiter.shared_limit(
    lambda: current_app.config["RATE_LIMIT_DECLARATIONS"],
    scope="declarations",
    key_func=person,
    methods=["POST"],
    override_defaults=False,  # on top of the API's own limit
    on_breach=_log_breach,
    error_message="Too many declarations at once: wait a moment before declaring again.",
)


def subscriber_address() -> str:
    """Who a status-page subscription counts against: the address it names."""
    named = request.form.get("email") or request.form.get("webhook_url") or ""
    return "subscriber:" + secret_digest(named.strip().lower()[:500])[:32]


def subscriber_client() -> str:
    return "subscribe:" + client_network(request.remote_addr)


subscribe_limits = (
    limiter.limit(
        lambda: current_app.config["RATE_LIMIT_SUBSCRIBE_ADDRESS"],
        key_func=subscriber_address,
        methods=["POST"],
        on_breach=_log_breach,
        error_message="Too many subscription requests for this address: try again later.",
    ),
    limiter.limit(
        lambda: current_app.config["RATE_LIMIT_SUBSCRIBE_CLIENT"],
        key_func=subscriber_client,
        methods=["POST"],
        on_breach=_log_breach,
        error_message="Too many subscription requests: try again later.",
    ),
)


def with_retry_after(response: Response, seconds: int) -> Response:
    response.headers["Retry-After"] = str(seconds)
    return response


def _seconds_to_reset() -> int:
    current = limiter.current_limit
    reset_at = current.window.reset_time if current else time.time() + 1
    return max(1, math.ceil(reset_at - time.time()))


def _too_many(error: RateLimitExceeded) -> Response:
    seconds = _seconds_to_reset()
    message = error.description if error.limit.error_message else "Too many requests."
    if request.path.startswith("/api/"):
        refusal = DomainError(
            "rate_limited", f"{message} Retry after {seconds} s.", retry_after=seconds
        )
        response = jsonify(error=refusal.to_dict())
    else:
        response = Response(render_template("error.html", message=message))
    response.status_code = 429
    return with_retry_after(response, seconds)


def install_limits(app: Flask) -> None:
    app.register_error_handler(RateLimitExceeded, _too_many)
