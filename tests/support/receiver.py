"""A real local HTTP server that records every request it gets (webhook POSTs, and any GET
a renderer might be tricked into) and answers as told."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)  # answered, in order
    arrivals: int = 0  # POSTs received, counted before the answer waits out `delay`
    statuses: list[int] = field(default_factory=list)  # answers to give, then 200
    delay: float = 0.0
    location: str | None = None  # sent with every answer (a redirect, with a 3xx status)


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.arrivals += 1
            time.sleep(receiver.delay)
            receiver.requests.append(
                {"headers": dict(self.headers), "body": body, "path": self.path}
            )
            self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
            if receiver.location:
                self.send_header("Location", receiver.location)
            self.end_headers()

        def do_GET(self) -> None:
            receiver.requests.append({"headers": dict(self.headers), "path": self.path})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
