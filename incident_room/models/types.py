"""Column types shared by the models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from ..clock import as_utc


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes in and out, on SQLite (which drops the zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return as_utc(value) if value is not None else None


def render_migration_type(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write UTCDateTime into migrations as a plain timezone-aware DateTime.

    Migrations then stay runnable even if this module changes.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
