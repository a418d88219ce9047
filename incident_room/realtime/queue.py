"""The Socket.IO message queue between workers, delivering broadcasts in publish order.

python-socketio's RedisManager hands an emit to this worker's own clients at once and to
the other workers through Redis. With two workers writing to one incident, a client on
worker B could then get seq N+1 (emitted locally by B) before seq N (emitted by A and still
on its way through Redis). Here every broadcast goes through Redis, to this worker's own
clients too, so every worker delivers in the order Redis received the messages - and that
is seq order, because a writer holds the incident lock until its publish has returned
(services/locks.py). The price is one Redis round trip for local clients.
"""

from __future__ import annotations

from typing import Any

import socketio

from ..config import ConfigError

SUPPORTED_SCHEMES = ("redis://", "rediss://")


class QueueOrderedRedisManager(socketio.RedisManager):
    """A RedisManager whose callback-less emits reach local clients only via Redis."""

    name = "redis-ordered"

    def _is_own_broadcast(self, message: dict[str, Any]) -> bool:
        return message.get("host_id") == self.host_id and message.get("callback") is None

    def _handle_emit(self, message: dict[str, Any]) -> None:
        if self._is_own_broadcast(message):
            return  # delivered when it comes back from Redis, in the queue's order
        super()._handle_emit(message)

    def _publish(self, data: dict[str, Any]) -> Any:
        if data.get("method") == "emit" and self._is_own_broadcast(data):
            # Not tagged with our host id, so our own listener delivers it too.
            data = {**data, "host_id": None}
        return super()._publish(data)


def client_manager(url: str | None, channel: str) -> QueueOrderedRedisManager | None:
    """The manager joining this worker to the others, or None for a single process."""
    if not url:
        return None
    if not url.startswith(SUPPORTED_SCHEMES):
        scheme = url.split(":", 1)[0]
        raise ConfigError(f"SOCKETIO_MESSAGE_QUEUE must be a redis:// URL, not {scheme}://...")
    return QueueOrderedRedisManager(url, channel=channel)
