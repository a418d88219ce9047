"""The one place the app asks for the current time, so tests can freeze and move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """Timezone-aware UTC now (or the frozen time under test)."""
    return _now()


def set_clock(source: Callable[[], datetime]) -> None:
    global _now
    _now = source


def reset_clock() -> None:
    set_clock(lambda: datetime.now(UTC))


class FrozenClock:
    """A clock that stands still until told to move: `clock.advance(minutes=15)`."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC, so say so."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat().replace("+00:00", "Z") if value else None
