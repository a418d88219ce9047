"""The bare stack under Incident Room: python-socketio in the same async mode, no Flask, no
database, no auth. It relays `timeline.add` to the room as an `incident.event` shaped like
ours, and live text's `live_text.update` to the document's other editors, so the clients
receive the same messages and the difference is our own code."""

from __future__ import annotations

import sys

if __name__ == "__main__" and "threading" not in sys.argv:
    from gevent import monkey

    monkey.patch_all()

import argparse
import itertools
from datetime import UTC, datetime
from typing import Any

import socketio

ACTOR = {"id": 1, "username": "scribe", "display_name": "Scribe"}


def make_server(mode: str) -> socketio.Server:
    sio = socketio.Server(async_mode=mode, cors_allowed_origins="*")
    seq = itertools.count(1)

    @sio.on("join")
    def join(sid: str, payload: dict[str, Any]) -> dict[str, Any]:
        sio.enter_room(sid, f"incident:{payload['incident_id']}")
        return {"ok": True, "seq": 0}

    @sio.on("timeline.add")
    def add(sid: str, payload: dict[str, Any]) -> dict[str, Any]:
        at = datetime.now(UTC).isoformat()
        entry = {"id": payload["op_id"], "kind": payload["kind"], "text": payload["text"]}
        event = {
            "seq": next(seq),
            "incident_id": payload["incident_id"],
            "type": "timeline.added",
            "actor": ACTOR,
            "at": at,
            "data": {"entry": {**entry, "occurred_at": at, "recorded_at": at, "version": 1}},
        }
        sio.emit("incident.event", event, to=f"incident:{payload['incident_id']}")
        return {"ok": True, "seq": event["seq"], "server_now": at}

    @sio.on("live_text.open")
    def open_document(sid: str, payload: dict[str, Any]) -> dict[str, Any]:
        sio.enter_room(sid, f"live:{payload['incident_id']}:{payload['doc']}")
        return {"ok": True, "doc": payload["doc"], "update": "AAA=", "state_vector": "AA=="}

    @sio.on("live_text.update")
    def update(sid: str, payload: dict[str, Any]) -> dict[str, Any]:
        room = f"live:{payload['incident_id']}:{payload['doc']}"
        message = {**payload, "user": ACTOR}
        sio.emit("live_text.update", message, to=room, skip_sid=sid)
        return {"ok": True, "seq": 0}

    return sio


def ready(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ready"]


def main() -> None:
    parser = argparse.ArgumentParser(description="Bare python-socketio relay for the bench.")
    parser.add_argument("--mode", choices=["gevent", "threading"], default="gevent")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = socketio.WSGIApp(make_server(args.mode), ready)
    if args.mode == "gevent":
        from gevent import pywsgi

        from incident_room.serving import _listener  # the app's own socket: TCP_NODELAY

        pywsgi.WSGIServer(_listener("127.0.0.1", args.port), app, log=None).serve_forever()
    else:
        from werkzeug.serving import run_simple

        run_simple("127.0.0.1", args.port, app, threaded=True)


if __name__ == "__main__":
    main()
