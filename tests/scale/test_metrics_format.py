"""The metrics text is what Prometheus expects: cumulative buckets, a one-minute rate."""

from __future__ import annotations

from incident_room.observability.metrics import WorkerMetrics


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_histogram_buckets_are_cumulative_with_sum_and_count() -> None:
    metrics = WorkerMetrics()
    for seconds in (0.004, 0.02, 0.02, 3.0, 9.0):
        metrics.ack_sent("timeline.add", seconds, None)

    lines = metrics.render().splitlines()

    prefix = 'incident_room_ack_latency_seconds_bucket{event="timeline.add",'
    assert f'{prefix}le="0.005"}} 1' in lines
    assert f'{prefix}le="0.025"}} 3' in lines
    assert f'{prefix}le="2.5"}} 3' in lines
    assert f'{prefix}le="5.0"}} 4' in lines
    assert f'{prefix}le="+Inf"}} 5' in lines
    assert 'incident_room_ack_latency_seconds_count{event="timeline.add"} 5' in lines
    assert 'incident_room_ack_latency_seconds_sum{event="timeline.add"} 12.044000' in lines
    assert "# TYPE incident_room_ack_latency_seconds histogram" in lines


def test_events_per_second_covers_the_last_minute_only() -> None:
    clock = Ticker()
    metrics = WorkerMetrics(clock)
    metrics.events_published(60)
    clock.now += 30
    metrics.events_published(30)
    assert metrics.events_per_second() == 1.5
    clock.now += 45  # the first 60 are now older than a minute
    assert metrics.events_per_second() == 0.5
    assert "incident_room_events_total 90" in metrics.render().splitlines()


def test_errors_are_counted_by_code_and_clients_never_go_negative() -> None:
    metrics = WorkerMetrics()
    metrics.ack_sent("timeline.edit", 0.01, "conflict")
    metrics.ack_sent("timeline.edit", 0.01, "conflict")
    metrics.ack_sent("join", 0.01, "forbidden")
    metrics.client_disconnected()
    lines = metrics.render().splitlines()
    assert 'incident_room_errors_total{code="conflict"} 2' in lines
    assert 'incident_room_errors_total{code="forbidden"} 1' in lines
    assert "incident_room_connected_clients 0" in lines
