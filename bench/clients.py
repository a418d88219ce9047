"""Real Socket.IO clients on asyncio (python-socketio AsyncClient over aiohttp websockets).

Latency is measured against time.perf_counter, which on Linux is CLOCK_MONOTONIC and so
shared by every process on the machine: the scribe writes its send time into the entry's
text and each receiver, in whichever load process, subtracts it from its receipt time.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from array import array
from typing import Any

import aiohttp
import socketio

# Closing thousands of connections makes engineio log each one; the tables say what matters.
logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
logging.getLogger("socketio.client").setLevel(logging.CRITICAL)

STAMP = re.compile(r"bench@(\d+\.\d+)")
CONNECT_TIMEOUT = 30  # seconds; a busy server answers slowly, and that is measured, not fatal
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def stamped_text(sequence: int) -> str:
    stamp = f"bench@{time.perf_counter():.6f}"
    return f"Checkout error rate still at 4% after the rollback, step {sequence} {stamp}"


async def login_cookie(
    http: aiohttp.ClientSession, base_url: str, username: str, password: str
) -> str:
    """Log in through the form as a browser does; returns the session cookie header."""
    async with http.get(base_url + "/login") as response:
        token = CSRF_INPUT.search(await response.text())
        cookies = response.cookies
    assert token, "no csrf_token in the login page"
    form = {"username": username, "password": password, "csrf_token": token.group(1)}
    jar = "; ".join(f"{k}={v.value}" for k, v in cookies.items())
    async with http.post(
        base_url + "/login", data=form, headers={"Cookie": jar}, allow_redirects=False
    ) as response:
        assert response.status == 302, f"login of {username} failed: {response.status}"
        return "; ".join(f"{k}={v.value}" for k, v in response.cookies.items())


class Participant:
    """One connected person in one room, recording how late each stamped entry arrived."""

    def __init__(self, url: str, cookie: str | None, incident_id: int) -> None:
        self.url = url
        self.cookie = cookie
        self.incident_id = incident_id
        self.sio = socketio.AsyncClient(reconnection=False)
        self.latencies: array[float] = array("d")
        self.last_seq = 0
        self.dropped: str | None = None
        self.sio.on("incident.event", self._on_event)
        self.sio.on("disconnect", self._on_disconnect)

    def _on_disconnect(self, reason: str = "") -> None:
        if self.dropped is None:
            self.dropped = str(reason) or "dropped"

    def _on_event(self, event: dict[str, Any]) -> None:
        received = time.perf_counter()
        self.last_seq = max(self.last_seq, event.get("seq", 0))
        entry = event.get("data", {}).get("entry")
        if entry and (stamp := STAMP.search(entry.get("text", ""))):
            self.latencies.append(received - float(stamp.group(1)))

    async def connect(self) -> None:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        await self.sio.connect(
            self.url, headers=headers, transports=["websocket"], wait_timeout=CONNECT_TIMEOUT
        )

    async def call(self, event: str, payload: dict[str, Any], timeout: float = 60) -> dict:
        return await self.sio.call(event, payload, timeout=timeout)

    async def join(self, since: int | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {"incident_id": self.incident_id}
        if since is not None:
            payload["since"] = since
        ack = await self.call("join", payload)
        assert ack.get("ok"), f"join refused: {ack}"
        self.last_seq = max(self.last_seq, ack.get("seq", 0))
        return ack

    async def disconnect(self) -> None:
        self.dropped = "by the bench"
        await self.sio.disconnect()


class Scribe(Participant):
    """A participant that writes stamped entries and times their acks."""

    def __init__(self, url: str, cookie: str | None, incident_id: int) -> None:
        super().__init__(url, cookie, incident_id)
        self.acks: array[float] = array("d")
        self.refused = 0
        self.sent = 0
        self._in_flight: set[asyncio.Task] = set()

    def write(self) -> None:
        """Emit one entry without waiting for its ack, as the browser does; a scribe the
        server disconnected writes nothing (its entries count as lost)."""
        if self.dropped:
            return
        self.sent += 1
        sent_at = time.perf_counter()

        def on_ack(ack: dict[str, Any]) -> None:
            self.acks.append(time.perf_counter() - sent_at)
            if not ack.get("ok"):
                self.refused += 1

        payload = {
            "incident_id": self.incident_id,
            "op_id": str(uuid.uuid4()),
            "kind": "note",
            "text": stamped_text(self.sent),
        }
        task = asyncio.ensure_future(self.sio.emit("timeline.add", payload, callback=on_ack))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)


async def gather_limited(coroutines: list, limit: int = 50) -> list:
    """Run coroutines with at most `limit` at once (connection storms hide the real numbers)."""
    gate = asyncio.Semaphore(limit)

    async def run(coroutine):
        async with gate:
            return await coroutine

    return await asyncio.gather(*(run(c) for c in coroutines))
