"""GitHub Issues: POST /repos/{owner}/{repo}/issues with a token; the `issues` webhook,
signed in X-Hub-Signature-256, says when an issue is closed or reopened."""

from __future__ import annotations

from typing import Any

from ...models import IssueTracker
from .dialects import NewTicket, Ticket, TicketChange, TicketRequest, text

TITLE_LIMIT = 256


class GitHub:
    signature_header = "X-Hub-Signature-256"

    def open_ticket(self, tracker: IssueTracker, ticket: NewTicket) -> TicketRequest:
        return TicketRequest(
            url=f"{tracker.api_url.rstrip('/')}/repos/{tracker.project}/issues",
            body={"title": ticket.title[:TITLE_LIMIT], "body": ticket.description},
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {tracker.token}",
                "X-GitHub-Api-Version": "2022-11-28",
            },
        )

    def opened(self, tracker: IssueTracker, answer: dict[str, Any]) -> Ticket | None:
        number, url = answer.get("number"), text(answer.get("html_url"))
        if not isinstance(number, int) or url is None:
            return None
        return Ticket(f"github:{tracker.project}#{number}", url)

    def change(self, headers: dict[str, str], payload: dict[str, Any]) -> TicketChange | None:
        action = payload.get("action")
        if headers.get("X-GitHub-Event") != "issues" or action not in ("closed", "reopened"):
            return None
        issue, repository = payload.get("issue"), payload.get("repository")
        if not isinstance(issue, dict) or not isinstance(repository, dict):
            return None
        number, name = issue.get("number"), text(repository.get("full_name"))
        if not isinstance(number, int) or name is None:
            return None
        # "completed" or "not_planned": both end the ticket; the item is done either way.
        return TicketChange(f"github:{name}#{number}", closed=action == "closed")
