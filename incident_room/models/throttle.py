"""Failed attempts counted per key (an account, an address, both), and the wait they earned."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class Throttle(db.Model):
    __tablename__ = "throttles"

    # "<rule>:<name>", e.g. "login_account:dana" or "bad_token_address:203.0.113.7".
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
