"""A live text editor for tests: a pycrdt document (Yrs, the Rust port of Yjs the browser
runs) speaking docs/protocol-live-text.md through a Socket.IO client."""

from __future__ import annotations

import base64
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
        self.doc = Doc()
        self.text = self.doc.get("text", type=Text)

    @property
    def value(self) -> str:
        return str(self.text)

    def _payload(self, **fields: Any) -> dict[str, Any]:
        return {"incident_id": self.incident_id, "doc": self.name, **fields}

    def open(self) -> dict[str, Any]:
        """Open (or re-open) the document and exchange what each side lacks."""
        ack = self.call("live_text.open", self._payload(state_vector=encoded(self.doc.get_state())))
        if ack["ok"]:
            self.apply(ack["update"])
            missing = self.doc.get_update(base64.b64decode(ack["state_vector"]))
            if missing != b"\x00\x00":
                assert self.send(missing)["ok"]
        return ack

    def apply(self, update: str) -> None:
        self.doc.apply_update(base64.b64decode(update))

    def edit(self, change: Callable[[Text], None]) -> bytes:
        """Change the text locally; the update it made (not sent)."""
        before = self.doc.get_state()
        change(self.text)
        return self.doc.get_update(before)

    def type(self, at: int, words: str) -> dict[str, Any]:
        """Insert `words` at character `at` and send the update."""
        offset = len(self.value[:at].encode())  # pycrdt counts UTF-8 bytes
        return self.send(self.edit(lambda text: text.insert(offset, words)))

    def send(self, update: bytes) -> dict[str, Any]:
        return self.call("live_text.update", self._payload(update=encoded(update)))

    def cursor(self, anchor: str | None, head: str | None) -> dict[str, Any]:
        return self.call("live_text.cursor", self._payload(anchor=anchor, head=head))

    def close(self) -> dict[str, Any]:
        return self.call("live_text.close", self._payload())
