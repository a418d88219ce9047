"""Jira: POST /rest/api/2/issue with a personal access token (Data Center) or "email:token"
(Cloud, sent as Basic); an admin webhook with a secret, signed in X-Hub-Signature, says when
an issue moves into or out of the "done" status category."""

from __future__ import annotations

import base64
from typing import Any

from ...models import IssueTracker
from .dialects import NewTicket, Ticket, TicketChange, TicketRequest, text

SUMMARY_LIMIT = 255


def authorization(token: str) -> str:
    if ":" in token:  # Jira Cloud: the account's e-mail and an API token
        return "Basic " + base64.b64encode(token.encode()).decode()
    return f"Bearer {token}"


class Jira:
    signature_header = "X-Hub-Signature"

    def open_ticket(self, tracker: IssueTracker, ticket: NewTicket) -> TicketRequest:
        fields = {
            "project": {"key": tracker.project},
            "summary": ticket.title.replace("\n", " ")[:SUMMARY_LIMIT],
            "description": ticket.description,
            "issuetype": {"name": "Task"},
        }
        return TicketRequest(
            url=f"{tracker.api_url.rstrip('/')}/rest/api/2/issue",
            body={"fields": fields},
            headers={"Accept": "application/json", "Authorization": authorization(tracker.token)},
        )

    def opened(self, tracker: IssueTracker, answer: dict[str, Any]) -> Ticket | None:
        key = text(answer.get("key"))
        if key is None:
            return None
        return Ticket(f"jira:{key}", f"{tracker.api_url.rstrip('/')}/browse/{key}")

    def change(self, headers: dict[str, str], payload: dict[str, Any]) -> TicketChange | None:
        if payload.get("webhookEvent") != "jira:issue_updated":
            return None
        issue = payload.get("issue")
        fields = issue.get("fields") if isinstance(issue, dict) else None
        status = fields.get("status") if isinstance(fields, dict) else None
        category = status.get("statusCategory") if isinstance(status, dict) else None
        key = text(issue.get("key")) if isinstance(issue, dict) else None
        if key is None or not isinstance(category, dict):
            return None
        return TicketChange(f"jira:{key}", closed=category.get("key") == "done")
