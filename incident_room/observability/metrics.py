"""This worker's counters, rendered in the Prometheus text format for GET /metrics.

Each worker counts for itself; Prometheus scrapes every worker (docs/deploy.md) and sums.
Hand-rendered: four families do not need a client library.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections import Counter, deque
from collections.abc import Callable

# Ack latency buckets in seconds: a change is acked after a lock, a transaction and a publish.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
RATE_WINDOW_SECONDS = 60.0


class _Histogram:
    def __init__(self) -> None:
        self.bucket_counts = [0] * len(LATENCY_BUCKETS)
        self.count = 0
        self.total = 0.0

    def observe(self, seconds: float) -> None:
        index = bisect.bisect_left(LATENCY_BUCKETS, seconds)
        if index < len(LATENCY_BUCKETS):
            self.bucket_counts[index] += 1
        self.count += 1
        self.total += seconds


class WorkerMetrics:
    """Connected clients, events published, ack latency by event, refusals by code, and
    passes of each background job (so a test or an operator sees the jobs are running)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.connected_clients = 0
        self.events_total = 0
        self._recent_events: deque[tuple[float, int]] = deque()
        self.ack_latency: dict[str, _Histogram] = {}
        self.errors: Counter[str] = Counter()
        self.job_runs: Counter[str] = Counter()

    def job_ran(self, job: str) -> None:
        with self._lock:
            self.job_runs[job] += 1

    def client_connected(self) -> None:
        with self._lock:
            self.connected_clients += 1

    def client_disconnected(self) -> None:
        with self._lock:
            self.connected_clients = max(0, self.connected_clients - 1)

    def events_published(self, count: int) -> None:
        with self._lock:
            self.events_total += count
            self._recent_events.append((self._clock(), count))

    def ack_sent(self, event: str, seconds: float, error_code: str | None) -> None:
        with self._lock:
            self.ack_latency.setdefault(event, _Histogram()).observe(seconds)
            if error_code:
                self.errors[error_code] += 1

    def events_per_second(self) -> float:
        """Events published by this worker per second over the last minute."""
        with self._lock:
            cutoff = self._clock() - RATE_WINDOW_SECONDS
            while self._recent_events and self._recent_events[0][0] < cutoff:
                self._recent_events.popleft()
            return sum(count for _, count in self._recent_events) / RATE_WINDOW_SECONDS

    def render(self) -> str:
        """The Prometheus text exposition format, version 0.0.4."""
        rate = self.events_per_second()
        with self._lock:
            lines = [
                *_family("incident_room_connected_clients", "gauge", "Socket.IO connections."),
                f"incident_room_connected_clients {self.connected_clients}",
                *_family("incident_room_events_total", "counter", "Incident events broadcast."),
                f"incident_room_events_total {self.events_total}",
                *_family(
                    "incident_room_events_per_second",
                    "gauge",
                    "Incident events broadcast per second over the last minute.",
                ),
                f"incident_room_events_per_second {rate:.3f}",
                *_family(
                    "incident_room_ack_latency_seconds",
                    "histogram",
                    "Time from receiving a socket event to its ack.",
                ),
            ]
            for event, histogram in sorted(self.ack_latency.items()):
                lines.extend(_histogram_lines(event, histogram))
            lines.extend(
                _family("incident_room_errors_total", "counter", "Refused events by code.")
            )
            lines.extend(
                f'incident_room_errors_total{{code="{code}"}} {count}'
                for code, count in sorted(self.errors.items())
            )
            lines.extend(
                _family(
                    "incident_room_background_job_runs_total",
                    "counter",
                    "Finished passes of each background job in this worker.",
                )
            )
            lines.extend(
                f'incident_room_background_job_runs_total{{job="{job}"}} {count}'
                for job, count in sorted(self.job_runs.items())
            )
        return "\n".join(lines) + "\n"


def _family(name: str, kind: str, help_text: str) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]


def _histogram_lines(event: str, histogram: _Histogram) -> list[str]:
    name = "incident_room_ack_latency_seconds"
    lines = []
    cumulative = 0
    for bound, count in zip(LATENCY_BUCKETS, histogram.bucket_counts, strict=True):
        cumulative += count
        lines.append(f'{name}_bucket{{event="{event}",le="{bound}"}} {cumulative}')
    lines.append(f'{name}_bucket{{event="{event}",le="+Inf"}} {histogram.count}')
    lines.append(f'{name}_sum{{event="{event}"}} {histogram.total:.6f}')
    lines.append(f'{name}_count{{event="{event}"}} {histogram.count}')
    return lines


metrics = WorkerMetrics()
