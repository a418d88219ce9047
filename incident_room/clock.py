"""The one place the app asks for the current time: each app's own clock, so tests (and
rehearsals) can freeze it, move it, or run it ahead across several worker processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from flask import Flask, current_app, has_app_context

CLOCK = "incident_room.clock"
Clock = Callable[[], datetime]


def system_time() -> datetime:
    return datetime.now(UTC)


def now() -> datetime:
    """Timezone-aware UTC now, by the current app's clock (the system's outside an app)."""
    if has_app_context():
        clock = current_app.extensions.get(CLOCK)
        if clock is not None:
            return clock()
    return system_time()


def set_clock(app: Flask, source: Clock) -> None:
    app.extensions[CLOCK] = source


def reset_clock(app: Flask) -> None:
    app.extensions.pop(CLOCK, None)


class FrozenClock:
    """A clock that stands still until told to move: `clock.advance(minutes=15)`."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


class OffsetFileClock:
    """Real time plus the number of seconds written in a file (`CLOCK_OFFSET_FILE`).

    For tests and rehearsals of real server processes: every worker reading one file runs
    on the same shifted time, and writing a larger number moves them all ahead at once. The
    file is re-read only when it changes; a missing or unreadable file means no offset.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._stamp: tuple[int, int] | None = None
        self._offset = timedelta(0)

    def __call__(self) -> datetime:
        try:
            status = self.path.stat()
            stamp = (status.st_ino, status.st_mtime_ns)
        except OSError:
            return system_time()
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                self._offset = timedelta(seconds=float(self.path.read_text().strip() or 0))
            except (OSError, ValueError):
                self._offset = timedelta(0)
        return system_time() + self._offset

    @staticmethod
    def write(path: str | os.PathLike[str], seconds: float) -> None:
        """Move every clock reading `path` to real time plus `seconds`, atomically."""
        target = Path(path)
        scratch = target.with_suffix(".tmp")
        scratch.write_text(repr(float(seconds)))
        os.replace(scratch, target)


def install_clock(app: Flask) -> None:
    """The app's clock from its config: an offset file when `CLOCK_OFFSET_FILE` is set."""
    if app.config.get("CLOCK_OFFSET_FILE"):
        set_clock(app, OffsetFileClock(app.config["CLOCK_OFFSET_FILE"]))


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC, so say so."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_midnight(day: date) -> datetime:
    """The start of `day` in UTC: the edge of the days and weeks the figures count."""
    return datetime.combine(day, time(), tzinfo=UTC)


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat().replace("+00:00", "Z") if value else None


@contextmanager
def replaying(app: Flask, start: datetime) -> Iterator[FrozenClock]:
    """Run a scripted story on a clock of its own from `start` (the demo's finished
    incident), then give the app back the clock it had."""
    previous = app.extensions.get(CLOCK)
    clock = FrozenClock(start)
    set_clock(app, clock)
    try:
        yield clock
    finally:
        if previous is None:
            reset_clock(app)
        else:
            set_clock(app, previous)
