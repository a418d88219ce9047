"""The metrics text is what Prometheus expects: cumulative buckets, a one-minute rate. Read
back with prometheus-client's own parser, as a scraper would."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from incident_room.observability.metrics import WorkerMetrics


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """(sample name, sorted labels) -> value, for every sample of every family."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_histogram_buckets_are_cumulative_with_sum_and_count() -> None:
    metrics = WorkerMetrics()
    for seconds in (0.004, 0.02, 0.02, 3.0, 9.0):
        metrics.ack_sent("timeline.add", seconds, None)

    text = metrics.render()
    read = samples(text)

    def bucket(le: str) -> float:
        labels = (("event", "timeline.add"), ("le", le))
        return read[("incident_room_ack_latency_seconds_bucket", labels)]

    assert [bucket(le) for le in ("0.005", "0.025", "2.5", "5.0", "+Inf")] == [1, 3, 3, 4, 5]
    event = (("event", "timeline.add"),)
    assert read[("incident_room_ack_latency_seconds_count", event)] == 5
    assert round(read[("incident_room_ack_latency_seconds_sum", event)], 6) == 12.044
    assert "# TYPE incident_room_ack_latency_seconds histogram" in text.splitlines()


def test_events_per_second_covers_the_last_minute_only() -> None:
    clock = Ticker()
    metrics = WorkerMetrics(clock)
    metrics.events_published(60)
    clock.now += 30
    metrics.events_published(30)
    assert metrics.events_per_second() == 1.5
    clock.now += 45  # the first 60 are now older than a minute
    assert metrics.events_per_second() == 0.5
    read = samples(metrics.render())
    assert read[("incident_room_events_total", ())] == 90
    assert read[("incident_room_events_per_second", ())] == 0.5


def test_errors_are_counted_by_code_and_clients_never_go_negative() -> None:
    metrics = WorkerMetrics()
    metrics.ack_sent("timeline.edit", 0.01, "conflict")
    metrics.ack_sent("timeline.edit", 0.01, "conflict")
    metrics.ack_sent("join", 0.01, "forbidden")
    metrics.client_disconnected()
    read = samples(metrics.render())
    assert read[("incident_room_errors_total", (("code", "conflict"),))] == 2
    assert read[("incident_room_errors_total", (("code", "forbidden"),))] == 1
    assert read[("incident_room_connected_clients", ())] == 0
