"""Serving the app: gevent's WSGI server with Nagle's algorithm off, or threading for debugging."""

from __future__ import annotations

import socket

from flask import Flask

from .extensions import socketio
from .gc_pauses import FULL_COLLECTION_SECONDS, collect_everything, keep_pauses_short

LISTEN_BACKLOG = 2048


def _listener(host: str, port: int) -> socket.socket:
    """A listening socket whose accepted connections send small frames at once.

    A room event, the timers update and the ack are three small websocket frames; with
    Nagle's algorithm on, the later ones wait for the client's delayed ACK (~40 ms).
    Linux copies TCP_NODELAY from the listening socket to every accepted one.
    """
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(LISTEN_BACKLOG)
    return sock


def serve(app: Flask, host: str, port: int) -> None:
    if socketio.async_mode != "gevent":
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)
        return
    from gevent import pywsgi

    keep_pauses_short()
    socketio.start_background_task(_collect_everything_now_and_then)
    pywsgi.WSGIServer(_listener(host, port), app, log=None).serve_forever()


def _collect_everything_now_and_then() -> None:
    while True:
        socketio.sleep(FULL_COLLECTION_SECONDS)
        collect_everything()
