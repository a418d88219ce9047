"""Socket.IO packets as this app sends them: JSON only, encoded by orjson.

python-socketio's default packet walks every outgoing message item by item looking for bytes
to send as binary attachments, then encodes it with the standard library: for the ack of a
5,000-entry join that is 40 ms of looking and 28 ms of encoding. The app never sends bytes,
and orjson encodes the same JSON about ten times faster.
"""

from __future__ import annotations

from typing import Any

import orjson
from socketio.packet import Packet


class OrjsonCodec:
    """The `dumps`/`loads` pair a Packet encodes with; keys that are not strings become
    strings, as the standard library's json makes them."""

    @staticmethod
    def dumps(data: Any, **_options: Any) -> str:
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()

    @staticmethod
    def loads(text: str | bytes) -> Any:
        return orjson.loads(text)


class JsonPacket(Packet):
    uses_binary_events = False
    json = OrjsonCodec
