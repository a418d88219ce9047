"""A local stand-in for GitHub's and Jira's REST APIs: it opens tickets as they do (the
answers carry what theirs carry), records every request exactly, and can be told to refuse."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.support.fake_http import JsonHandler, serving


@dataclass
class FakeTracker:
    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    refuse_with: int | None = None  # answer every request with this status
    opened: int = 0

    def answer(self, path: str) -> tuple[int, dict[str, Any]]:
        if self.refuse_with:
            return self.refuse_with, {"message": "Bad credentials"}
        self.opened += 1
        if path.startswith("/repos/") and path.endswith("/issues"):
            repo = path.removeprefix("/repos/").removesuffix("/issues")
            html_url = f"https://github.example/{repo}/issues/{self.opened}"
            return 201, {"number": self.opened, "html_url": html_url, "state": "open"}
        if path == "/rest/api/2/issue":
            key = f"OPS-{self.opened}"
            return 201, {"id": str(10000 + self.opened), "key": key, "self": f"{self.url}/x"}
        return 404, {"message": "Not Found"}


@contextmanager
def fake_tracker() -> Iterator[FakeTracker]:
    tracker = FakeTracker()

    class Handler(JsonHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            tracker.requests.append(
                {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
            )
            status, answer = tracker.answer(self.path)
            self.answer_json(status, answer)

    with serving(Handler) as base:
        tracker.url = base
        yield tracker
