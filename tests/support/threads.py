"""Running test code on threads without swallowing what fails there: a thread's exception
is re-raised in the test when its result is asked for."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


def in_background(function: Callable[..., Any], *args: Any) -> Future:
    """Start `function(*args)` on a thread of its own; `.result(timeout)` returns what it
    returned or raises what it raised."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(function, *args)
    pool.shutdown(wait=False)
    return future


def all_at_once(*calls: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run every call on its own thread, together; their results, or the first failure."""
    futures = [in_background(call) for call in calls]
    return [future.result(timeout) for future in futures]
