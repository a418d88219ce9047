"""A client that applies incident events by the rule docs/protocol.md gives every client.

Drop an event whose seq is not above the highest applied; apply the next one; on a gap
(an event was lost, e.g. its worker died between commit and broadcast) re-join with
`since` and apply what comes back. What a test then checks is what a user would see: the
applied list, which must be every seq once, in order.
"""

from __future__ import annotations

import threading
from typing import Any

from tests.support.live import RealClient


class ResyncingClient(RealClient):
    def __init__(self, base_url: str, username: str) -> None:
        super().__init__(base_url, username)
        self.incident_id: int | None = None
        self.applied: list[int] = []
        self.resyncs = 0
        self._apply_lock = threading.Lock()

    def join(self, incident_id: int, since: int | None = None) -> dict[str, Any]:
        """Join (with `since` after a reconnect); everything after the ack's seq is pending."""
        payload = {"incident_id": incident_id, **({"since": since} if since is not None else {})}
        self.incident_id = incident_id
        ack = self.call("join", payload)
        assert ack["ok"], ack
        with self._apply_lock:
            if since is None:
                # The full state stands for every event up to its seq.
                self.applied = list(range(1, max(ack["seq"], self._highest()) + 1))
            else:
                self._apply_all(ack["events"])
        return ack

    def _on_event(self, event: dict[str, Any]) -> None:
        super()._on_event(event)
        if event["incident_id"] != self.incident_id:
            return
        with self._apply_lock:
            if not self._apply_all([event]):
                # Socket.IO handlers run on the client's reader thread: resync off it.
                self.sio.start_background_task(self._resync)

    def _highest(self) -> int:
        return self.applied[-1] if self.applied else 0

    def _apply_all(self, events: list[dict[str, Any]]) -> bool:
        """Apply `events` in order; False when one leaves a gap."""
        for event in events:
            if event["seq"] <= self._highest():
                continue
            if event["seq"] > self._highest() + 1:
                return False
            self.applied.append(event["seq"])
        return True

    def _resync(self) -> None:
        """Re-join with `since` until caught up; never holds the lock while waiting for an
        ack, which the reader thread must be free to deliver."""
        self.resyncs += 1
        more = True
        while more:
            with self._apply_lock:
                since = self._highest()
            ack = self.call("join", {"incident_id": self.incident_id, "since": since})
            with self._apply_lock:
                self._apply_all(ack["events"])
            more = ack["more"]
