"""Probes for the load balancer and the orchestrator, and this worker's metrics.

/healthz: the process answers (liveness - restart it if not).
/readyz: it can do its job - the database and Redis answer (readiness - route to it).
/metrics: Prometheus text; docs/deploy.md keeps it off the public proxy.
"""

from __future__ import annotations

import os

from flask import Blueprint, Response, current_app, jsonify
from flask.typing import ResponseReturnValue

from ..extensions import db
from ..observability.metrics import metrics
from ..preflight import database_problem, redis_problem

bp = Blueprint("health", __name__)

PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Alive; the pid tells an operator which process behind the proxy answered."""
    return jsonify(status="ok", pid=os.getpid())


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    checks = {"database": database_problem(db.engine) or "ok"}
    queue = current_app.config.get("SOCKETIO_MESSAGE_QUEUE")
    checks["redis"] = (redis_problem(queue) or "ok") if queue else "not used"
    ready = all(result in ("ok", "not used") for result in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503


@bp.get("/metrics")
def prometheus_metrics() -> ResponseReturnValue:
    return Response(metrics.render(), content_type=PROMETHEUS_CONTENT_TYPE)
