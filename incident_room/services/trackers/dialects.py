"""What each tracker's API looks like to us: a request that opens a ticket, the ticket read
from its answer, and a webhook read into "this ticket closed / reopened"."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Protocol

from ...models import IssueTracker


@dataclass(frozen=True)
class Ticket:
    key: str  # "github:owner/repo#12", "jira:OPS-7"
    url: str  # where people open it


@dataclass(frozen=True)
class TicketRequest:
    url: str
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass(frozen=True)
class TicketChange:
    key: str
    closed: bool  # False: reopened


@dataclass(frozen=True)
class NewTicket:
    title: str
    description: str


class Dialect(Protocol):
    signature_header: str

    def open_ticket(self, tracker: IssueTracker, ticket: NewTicket) -> TicketRequest: ...

    def opened(self, tracker: IssueTracker, answer: dict[str, Any]) -> Ticket | None: ...

    def change(self, headers: dict[str, str], payload: dict[str, Any]) -> TicketChange | None: ...


def signed_by(secret: str, raw: bytes, presented: str | None) -> bool:
    """GitHub's X-Hub-Signature-256 and Jira's X-Hub-Signature: "sha256=" + HMAC-SHA256 hex."""
    expected = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return presented is not None and hmac.compare_digest(expected, presented)


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
