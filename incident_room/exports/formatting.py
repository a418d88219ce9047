"""How times and durations read in the exports (UTC, to the second)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def format_time(value: str | None) -> str:
    """'2026-03-14 02:04:00 UTC', or an em dash for a time not reached."""
    return parse_time(value).strftime("%Y-%m-%d %H:%M:%S UTC") if value else "—"


def format_stamp(value: str) -> str:
    """'2026-03-14 02:04:00', for tables whose heading says UTC."""
    return parse_time(value).strftime("%Y-%m-%d %H:%M:%S")


def format_duration(seconds: int | None) -> str:
    """'1 h 00 min 30 s', '40 min 30 s', '8 min', '45 s'; an em dash when not measured."""
    if seconds is None:
        return "—"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min {secs:02d} s"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"


def format_field_value(value: Any) -> str:
    """An entry field as the edit history shows it: people by name, details as 'name: value'."""
    if value is None or value == "" or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if "display_name" in value:
            return value["display_name"]
        return "; ".join(f"{name}: {format_field_value(item)}" for name, item in value.items())
    return str(value)
