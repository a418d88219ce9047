"""Queueing a message: written in the current transaction, sent once it has committed."""

from __future__ import annotations

import re

from flask import current_app

from ...errors import invalid
from ...extensions import db
from ...models import MailMessage

# Deliberately plain: one @, a dot in the domain, no spaces or angle brackets. The mail
# server is the judge of the rest; this keeps obvious mistakes and header injection out.
ADDRESS = re.compile(r"[^@\s<>,;\"']{1,64}@[^@\s<>,;\"']{1,253}\.[A-Za-z]{2,63}")
MAX_SUBJECT = 300


def mail_enabled() -> bool:
    return bool(current_app.config.get("SMTP_URL"))


def check_address(value: object, field: str = "email") -> str:
    """A plausible e-mail address, lower-cased; `invalid` naming `field` otherwise."""
    address = value.strip() if isinstance(value, str) else ""
    if not ADDRESS.fullmatch(address):
        raise invalid(field, "Give an e-mail address such as name@example.com.")
    return address.lower()


def _header_value(value: str) -> str:
    return " ".join(value.split())


def queue_mail(
    to: str,
    subject: str,
    text: str,
    *,
    purpose: str,
    headers: dict[str, str] | None = None,
    calendar: str | None = None,
) -> MailMessage | None:
    """Queue a plain-text message (and, optionally, an iCalendar invite) to `to`; None when
    the instance has no mail server. Runs inside the caller's transaction."""
    if not mail_enabled():
        return None
    message = MailMessage(
        to_address=check_address(to, "to"),
        subject=_header_value(subject)[:MAX_SUBJECT],
        body_text=text,
        headers="\n".join(
            f"{name}: {_header_value(value)}" for name, value in (headers or {}).items()
        ),
        calendar=calendar,
        purpose=purpose,
    )
    db.session.add(message)
    return message
