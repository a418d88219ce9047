"""Turning untrusted payloads into plain typed values, or an `invalid` error naming the field."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from .clock import as_utc
from .errors import DomainError, invalid


def require_mapping(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise invalid("payload", "The payload must be a JSON object.")
    return payload


def require_int(payload: dict[str, Any], field: str) -> int:
    value = payload.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise invalid(field, f"{field} must be a positive integer.")
    return value


def optional_int(payload: dict[str, Any], field: str, minimum: int = 0) -> int | None:
    value = payload.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise invalid(field, f"{field} must be an integer of at least {minimum}.")
    return value


def require_text(
    payload: dict[str, Any], field: str, max_length: int, *, empty: bool = False
) -> str:
    value = payload.get(field)
    if not isinstance(value, str):
        raise invalid(field, f"{field} must be text.")
    value = value.strip()
    if not value and not empty:
        raise invalid(field, f"{field} must not be empty.")
    if len(value) > max_length:
        raise DomainError(
            "too_large", f"{field} is longer than {max_length} characters.", field=field
        )
    return value


def optional_text(
    payload: dict[str, Any], field: str, max_length: int, *, empty: bool = False
) -> str | None:
    if payload.get(field) is None:
        return None
    return require_text(payload, field, max_length, empty=empty)


def require_choice(payload: dict[str, Any], field: str, choices: Iterable[str]) -> str:
    value = payload.get(field)
    allowed = tuple(choices)
    if value not in allowed:
        raise invalid(field, f"{field} must be one of: {', '.join(allowed)}.")
    return value


def optional_choice(payload: dict[str, Any], field: str, choices: Iterable[str]) -> str | None:
    return None if payload.get(field) is None else require_choice(payload, field, choices)


def require_bool(payload: dict[str, Any], field: str) -> bool:
    value = payload.get(field)
    if not isinstance(value, bool):
        raise invalid(field, f"{field} must be true or false.")
    return value


def require_uuid(payload: dict[str, Any], field: str) -> str:
    value = payload.get(field)
    if isinstance(value, str) and len(value) <= 64:
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    raise invalid(field, f"{field} must be a UUID.")


def optional_uuid(payload: dict[str, Any], field: str) -> str | None:
    return None if payload.get(field) is None else require_uuid(payload, field)


def parse_timestamp(value: Any, field: str) -> datetime:
    """An ISO-8601 time that says its zone, as UTC."""
    if not isinstance(value, str) or len(value) > 40:
        raise invalid(field, f"{field} must be an ISO-8601 time with a zone.")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise invalid(field, f"{field} must be an ISO-8601 time with a zone.") from None
    if parsed.tzinfo is None:
        raise invalid(field, f"{field} must say its time zone (e.g. 2026-01-31T14:05:00Z).")
    return as_utc(parsed)


def optional_timestamp(payload: dict[str, Any], field: str) -> datetime | None:
    value = payload.get(field)
    return None if value is None else parse_timestamp(value, field)


def parse_date(value: Any, field: str) -> date:
    """A calendar date, YYYY-MM-DD."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise invalid(field, f"{field} must be a date, YYYY-MM-DD.")


def parse_http_url(value: Any, field: str, max_length: int = 500) -> str:
    """An absolute http(s) link, such as an issue in the team's tracker."""
    if isinstance(value, str) and len(value.strip()) <= max_length:
        parts = urlsplit(value.strip())
        if parts.scheme in ("http", "https") and parts.netloc:
            return value.strip()
    raise invalid(field, f"{field} must be an http(s) link of at most {max_length} characters.")


def require_base64(payload: dict[str, Any], field: str, max_bytes: int) -> bytes:
    """Binary data sent as standard base64 text (docs/protocol-live-text.md)."""
    value = payload.get(field)
    if not isinstance(value, str):
        raise invalid(field, f"{field} must be base64 text.")
    if len(value) > (max_bytes + 2) // 3 * 4:
        raise DomainError("too_large", f"{field} is larger than {max_bytes} bytes.", field=field)
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise invalid(field, f"{field} must be base64 text.") from None
