"""This worker's counters, exposed in the Prometheus text format for GET /metrics through
prometheus-client (the maintained library), one registry per worker.

Each worker counts for itself; Prometheus scrapes every worker (docs/deploy.md) and sums.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

# Ack latency buckets in seconds: a change is acked after a lock, a transaction and a publish.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
RATE_WINDOW_SECONDS = 60.0

# No `_created` series: the counters start with the worker, which Prometheus sees anyway.
disable_created_metrics()


class WorkerMetrics:
    """Connected clients, events published (and their rate over the last minute), ack
    latency by event, refusals by code, and passes of each background job (so a test or an
    operator sees the jobs are running)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._recent_events: deque[tuple[float, int]] = deque()
        self._connected = 0
        self.registry = CollectorRegistry()
        self._clients = Gauge(
            "incident_room_connected_clients", "Socket.IO connections.", registry=self.registry
        )
        self._events = Counter(
            "incident_room_events", "Incident events broadcast.", registry=self.registry
        )
        rate = Gauge(
            "incident_room_events_per_second",
            "Incident events broadcast per second over the last minute.",
            registry=self.registry,
        )
        rate.set_function(self.events_per_second)
        self._latency = Histogram(
            "incident_room_ack_latency_seconds",
            "Time from receiving a socket event to its ack.",
            ["event"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._errors = Counter(
            "incident_room_errors", "Refused events by code.", ["code"], registry=self.registry
        )
        self._jobs = Counter(
            "incident_room_background_job_runs",
            "Finished passes of each background job in this worker.",
            ["job"],
            registry=self.registry,
        )

    def job_ran(self, job: str) -> None:
        self._jobs.labels(job=job).inc()

    def client_connected(self) -> None:
        with self._lock:
            self._connected += 1
            self._clients.set(self._connected)

    def client_disconnected(self) -> None:
        with self._lock:  # never below zero, however disconnects race
            self._connected = max(0, self._connected - 1)
            self._clients.set(self._connected)

    def events_published(self, count: int) -> None:
        self._events.inc(count)
        with self._lock:
            self._recent_events.append((self._clock(), count))

    def ack_sent(self, event: str, seconds: float, error_code: str | None) -> None:
        self._latency.labels(event=event).observe(seconds)
        if error_code:
            self._errors.labels(code=error_code).inc()

    def events_per_second(self) -> float:
        """Events published by this worker per second over the last minute."""
        with self._lock:
            cutoff = self._clock() - RATE_WINDOW_SECONDS
            while self._recent_events and self._recent_events[0][0] < cutoff:
                self._recent_events.popleft()
            return sum(count for _, count in self._recent_events) / RATE_WINDOW_SECONDS

    def render(self) -> str:
        """The Prometheus text exposition format, version 0.0.4."""
        return generate_latest(self.registry).decode()


metrics = WorkerMetrics()
