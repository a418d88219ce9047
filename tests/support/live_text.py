"""A live text editor for tests: a pycrdt document (Yrs, the Rust port of Yjs the browser
runs) speaking docs/protocol-live-text.md through a Socket.IO client."""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from typing import Any

from pycrdt import Doc, Text

Call = Callable[[str, dict[str, Any]], dict[str, Any]]


def encoded(data: bytes) -> str:
    return base64.b64encode(data).decode()


class Editor:
    def __init__(self, call: Call, incident_id: int, doc: str) -> None:
        self.call = call
        self.incident_id = incident_id
        self.name = doc
        # A real client applies relayed updates on its reader thread while the test types.
        self.doc = Doc(allow_multithreading=True)
        self.text = self.doc.get("text", type=Text)
        self.lock = threading.RLock()

    def listen(self, sio: Any) -> Editor:
        """Apply the updates relayed to a real Socket.IO client as they arrive."""

        def relayed(message: dict[str, Any]) -> None:
            if message["doc"] == self.name:
                self.apply(message["update"])

        sio.on("live_text.update", relayed)
        return self

    @property
    def value(self) -> str:
        with self.lock:
            return str(self.text)

    def _payload(self, **fields: Any) -> dict[str, Any]:
        return {"incident_id": self.incident_id, "doc": self.name, **fields}

    def open(self) -> dict[str, Any]:
        """Open (or re-open) the document and exchange what each side lacks."""
        ack = self.call("live_text.open", self._payload(state_vector=encoded(self.doc.get_state())))
        if ack["ok"]:
            self.apply(ack["update"])
            with self.lock:
                missing = self.doc.get_update(base64.b64decode(ack["state_vector"]))
            if missing != b"\x00\x00":
                assert self.send(missing)["ok"]
        return ack

    def apply(self, update: str) -> None:
        with self.lock:
            self.doc.apply_update(base64.b64decode(update))

    def edit(self, change: Callable[[Text], None]) -> bytes:
        """Change the text locally; the update it made (not sent)."""
        with self.lock:
            before = self.doc.get_state()
            change(self.text)
            return self.doc.get_update(before)

    def type(self, at: int, words: str) -> dict[str, Any]:
        """Insert `words` at character `at` (-1: at the end) and send the update."""

        def insert(text: Text) -> None:
            value = str(text)
            offset = len((value if at < 0 else value[:at]).encode())  # pycrdt: UTF-8 bytes
            text.insert(offset, words)

        return self.send(self.edit(insert))

    def send(self, update: bytes) -> dict[str, Any]:
        return self.call("live_text.update", self._payload(update=encoded(update)))

    def cursor(self, anchor: str | None, head: str | None) -> dict[str, Any]:
        return self.call("live_text.cursor", self._payload(anchor=anchor, head=head))

    def close(self) -> dict[str, Any]:
        return self.call("live_text.close", self._payload())
