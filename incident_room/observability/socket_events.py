"""One place that sees every socket event's ack: latency and refusals counted, changes logged.

Every mutating event (it carries an op_id) and every refusal gets one log line with the
incident id and op_id, so "what happened to my edit?" is a grep away.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from .metrics import metrics

log = logging.getLogger("incident_room.events")


def observe_ack(event: str, payload: Any, ack: dict[str, Any], started: float) -> None:
    """Record the ack of `event` that took since `started` (a time.perf_counter value)."""
    seconds = time.perf_counter() - started
    error_code = None if ack.get("ok") else ack["error"]["code"]
    metrics.ack_sent(event, seconds, error_code)
    fields = payload if isinstance(payload, dict) else {}
    if "op_id" not in fields and error_code is None:
        return
    log.log(
        logging.ERROR if error_code == "internal" else logging.INFO,
        "socket event",
        extra={
            "event": event,
            "incident_id": fields.get("incident_id"),
            "op_id": fields.get("op_id"),
            "ok": error_code is None,
            "seq": ack.get("seq"),
            "error": error_code,
            "ms": round(seconds * 1000, 2),
        },
    )
