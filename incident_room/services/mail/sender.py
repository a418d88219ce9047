"""Sending the queued messages over SMTP: the background job behind `queue_mail`.

`SMTP_URL` is `smtp://[user:password@]host[:port]` (STARTTLS when the server offers it;
add `?starttls=required` to refuse a server that does not) or `smtps://...` (TLS from the
first byte, usually port 465).
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlparse

from flask import current_app

from ...models import MailMessage
from ...unit_of_work import commits_itself
from ..outbox import claim_due, record_attempt


def _message(row: MailMessage) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain="incident-room")
    for line in filter(None, row.headers.split("\n")):
        name, _, value = line.partition(": ")
        message[name] = value
    message.set_content(row.body_text)
    if row.calendar:
        message.add_attachment(
            row.calendar.encode(),
            maintype="text",
            subtype="calendar",
            filename="invite.ics",
            params={"method": "REQUEST"},
        )
    return message


def _connect(url: str, timeout: float) -> smtplib.SMTP:
    parts = urlparse(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("SMTP_URL starts with smtp:// or smtps://")
    host = parts.hostname or "localhost"
    if parts.scheme == "smtps":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            host, parts.port or 465, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(host, parts.port or 25, timeout=timeout)
        server.ehlo()
        required = parse_qs(parts.query).get("starttls") == ["required"]
        if server.has_extn("starttls") or required:
            server.starttls(context=ssl.create_default_context())
            server.ehlo()
    if parts.username:
        server.login(unquote(parts.username), unquote(parts.password or ""))
    return server


def _send_all(rows: list[MailMessage]) -> list[str | None]:
    """One connection for the batch; each message's outcome (None: accepted)."""
    config = current_app.config
    try:
        server = _connect(config["SMTP_URL"], config["SMTP_TIMEOUT_SECONDS"])
    except (OSError, smtplib.SMTPException, ValueError) as error:
        return [f"mail server unreachable: {type(error).__name__}"] * len(rows)
    outcomes: list[str | None] = []
    with server:
        for row in rows:
            try:
                server.send_message(_message(row))
                outcomes.append(None)
            except (OSError, smtplib.SMTPException) as error:
                outcomes.append(f"refused: {type(error).__name__}")
    return outcomes


@commits_itself
def deliver_due_mail(limit: int = 50) -> int:
    """Send what is due; returns how many attempts were made."""
    if not current_app.config.get("SMTP_URL"):
        return 0
    lease = timedelta(seconds=current_app.config["SMTP_TIMEOUT_SECONDS"] * 3)
    due = claim_due(MailMessage, limit, lease)
    if due:
        for row, error in zip(due, _send_all(due), strict=True):
            record_attempt(row, error)
    return len(due)
