"""The documented multi-worker command: N workers that share, restart and stop together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from tests.scale.conftest import cluster_env
from tests.support.live import PROJECT_ROOT, RealClient, wait_until
from tests.support.rooms import prepare_room
from tests.support.services import TEST_CHAIN_KEY

WORKERS = 2


def free_consecutive_ports(count: int) -> int:
    """A base port with `count` free ports from it."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + count > 65535:
            continue
        try:
            held = [socket.create_server(("127.0.0.1", base + n)) for n in range(count)]
        except OSError:
            continue
        for sock in held:
            sock.close()
        return base
    raise RuntimeError("no free consecutive ports")


def workers_command(base: int, workers: int = WORKERS) -> list[str]:
    return [
        sys.executable,
        "-m",
        "incident_room.workers",
        "--workers",
        str(workers),
        "--base-port",
        str(base),
    ]


@pytest.fixture
def supervisor(postgres_url: str) -> Iterator[tuple[subprocess.Popen, list[str], int]]:
    incident_id, _ = prepare_room(postgres_url, users=2)
    base = free_consecutive_ports(WORKERS)
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url,
        "SECRET_KEY": "workers-test",
        "CHAIN_KEY": TEST_CHAIN_KEY,
        **cluster_env(),
    }
    process = subprocess.Popen(
        workers_command(base),
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    urls = [f"http://127.0.0.1:{base + n}" for n in range(WORKERS)]
    yield process, urls, incident_id
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(20)


def healthy_pid(url: str) -> int | None:
    try:
        return requests.get(url + "/healthz", timeout=1).json()["pid"]
    except requests.RequestException:
        return None


def test_workers_share_rooms_restart_after_kill_9_and_stop_together(supervisor):
    process, urls, incident_id = supervisor
    for url in urls:
        wait_until(lambda u=url: healthy_pid(u) is not None, timeout=30, message=url)
    on_first = RealClient(urls[0], "user0").connect()
    on_second = RealClient(urls[1], "user1").connect()
    for client in (on_first, on_second):
        assert client.call("join", {"incident_id": incident_id})["ok"]
    note = {"incident_id": incident_id, "kind": "note", "text": "seen on both workers"}
    ack = on_first.change("timeline.add", note)
    wait_until(lambda: ack["seq"] in on_second.seqs(incident_id), message="crosses workers")
    on_first.disconnect()
    on_second.disconnect()

    killed = healthy_pid(urls[0])
    os.kill(killed, signal.SIGKILL)
    wait_until(lambda: healthy_pid(urls[0]) not in (None, killed), timeout=30, message="restarted")

    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0
    assert all(healthy_pid(url) is None for url in urls), "no worker outlives the command"


def test_several_workers_without_redis_are_refused(postgres_url: str) -> None:
    prepare_room(postgres_url, users=1)
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url,
        "SECRET_KEY": "workers-test",
        "CHAIN_KEY": TEST_CHAIN_KEY,
    }
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    result = subprocess.run(
        workers_command(free_consecutive_ports(3), workers=3),
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "incident-room: refusing to start: SOCKETIO_MESSAGE_QUEUE is not set: "
        "3 workers need Redis (redis://host:6379/0) to share rooms"
    )
