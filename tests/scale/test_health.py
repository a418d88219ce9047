"""What an operator and a load balancer see: probes, metrics and the log of each change."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from tests.scale.proxy import CuttableProxy
from tests.support.live import wait_until
from tests.support.services import TEST_REDIS_URL


def through(url: str, proxy: CuttableProxy) -> str:
    """`url` with its host and port replaced by the proxy's."""
    parts = urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{proxy.port}"))


def test_healthz_and_readyz_answer_when_database_and_redis_do(cluster):
    room = cluster(workers=1)
    url = room.workers[0].url
    assert requests.get(url + "/healthz", timeout=5).json() == {
        "status": "ok",
        "pid": room.workers[0].process.pid,
    }
    ready = requests.get(url + "/readyz", timeout=5)
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "redis": "ok"}}


@pytest.mark.parametrize("lost", ["database", "redis"])
def test_readyz_says_not_ready_naming_what_was_lost(cluster, postgres_url, lost):
    target = urlsplit(postgres_url if lost == "database" else TEST_REDIS_URL)
    proxy = CuttableProxy(target.hostname, target.port)
    if lost == "database":
        room = cluster(workers=1, database_url=through(postgres_url, proxy))
    else:
        room = cluster(workers=1, SOCKETIO_MESSAGE_QUEUE=through(TEST_REDIS_URL, proxy))
    url = room.workers[0].url
    assert requests.get(url + "/readyz", timeout=5).status_code == 200

    proxy.cut()

    answer = requests.get(url + "/readyz", timeout=30)
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks[lost] != "ok" and "refused" in checks[lost].lower()
    assert requests.get(url + "/healthz", timeout=5).status_code == 200, "alive, just not ready"


def metric(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} missing from /metrics"
    return float(match.group(1))


def test_metrics_count_clients_events_ack_latency_and_errors(cluster):
    room = cluster(workers=1)
    client = room.client(0, "user0")
    for n in range(3):
        note = {"incident_id": room.incident_id, "kind": "note", "text": f"note {n}"}
        assert client.change("timeline.add", note)["ok"]
    refused = client.change("timeline.add", {"incident_id": room.incident_id, "kind": "poem"})
    assert refused["error"]["code"] == "invalid"

    answer = requests.get(room.workers[0].url + "/metrics", timeout=5)

    assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = answer.text
    assert metric(text, "incident_room_connected_clients") == 1
    assert metric(text, "incident_room_events_total") >= 3
    assert metric(text, "incident_room_events_per_second") > 0
    latency = 'incident_room_ack_latency_seconds_count{event="timeline.add"}'
    assert metric(text, latency) == 4
    assert (
        metric(text, 'incident_room_ack_latency_seconds_bucket{event="timeline.add",le="+Inf"}')
        == 4
    )
    assert metric(text, 'incident_room_errors_total{code="invalid"}') == 1
    client.disconnect()
    wait_until(
        lambda: (
            metric(
                requests.get(room.workers[0].url + "/metrics").text,
                "incident_room_connected_clients",
            )
            == 0
        ),
        message="a disconnect is counted",
    )


def test_every_change_is_logged_as_one_json_line_with_incident_and_op_id(cluster):
    room = cluster(workers=1)
    client = room.client(0, "user0")
    op = {"incident_id": room.incident_id, "op_id": "5b0e1c1e-6a51-4c43-9f0e-6f8f3c1d2a77"}
    ack = client.call("timeline.add", {**op, "kind": "action", "text": "Failover to replica"})

    def change_lines() -> list[dict]:
        lines = room.workers[0].log_path.read_text().splitlines()
        parsed = [json.loads(line) for line in lines if line.startswith("{")]
        return [line for line in parsed if line.get("op_id") == op["op_id"]]

    wait_until(lambda: change_lines(), message="the change's log line")
    [line] = change_lines()
    assert line["event"] == "timeline.add"
    assert line["incident_id"] == room.incident_id
    assert line["seq"] == ack["seq"] and line["ok"] is True
    assert line["level"] == "info" and line["ms"] >= 0
    assert line["pid"] == room.workers[0].process.pid
