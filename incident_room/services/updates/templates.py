"""The team's update templates per audience: the placeholders each may use, the defaults,
checking and saving (instance-wide settings)."""

from __future__ import annotations

from string import Template
from typing import Any

from ...clock import now
from ...errors import invalid
from ...extensions import db
from ...models import UpdateTemplate, User
from ...policy import UPDATE_AUDIENCES
from ...unit_of_work import commits_itself
from ..access import require_admin

MAX_TEMPLATE_LENGTH = 5000

# What each audience's template may use, with what it means (shown on the settings page).
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "stakeholders": {
        "reference": "INC-7",
        "title": "the incident's title",
        "severity": "SEV1..SEV4 (or Unclassified)",
        "severity_meaning": "what the severity means in the playbook",
        "status": "the current status",
        "impact": "the impact statement (the incident's summary)",
        "since": "when the last update went out (or the declaration)",
        "changes": "severity and status changes since then",
        "decisions": "decisions taken since then (with their rationale)",
        "investigating": "open hypotheses: what is being looked into",
        "hypotheses": "confirmed hypotheses",
        "actions_done": "actions done since then",
        "actions_doing": "actions under way, with owner and ETA",
        "actions_next": "actions not started yet, with owner",
        "commander": "the Incident Commander",
        "next_update": "when the next update is due",
    },
    "status_page": {
        "title": "the title, scrubbed",
        "impact_level": "Major outage / Partial outage / Minor issue / Cosmetic issue",
        "status": "Investigating / Identified / Monitoring / Resolved",
        "impact": "the impact statement, scrubbed",
        "since": "when the last status-page update went out",
        "changes": "status changes since then",
        "shared": "entries the team marked shareable since then, scrubbed",
        "next_update": "when the next status-page update is due",
    },
}

DEFAULT_TEMPLATES = {
    "stakeholders": (
        "$reference: $title\n"
        "Severity: $severity ($severity_meaning). Status: $status.\n"
        "Impact: $impact\n"
        "\n"
        "Since $since:\n$changes\n"
        "\n"
        "Decisions:\n$decisions\n"
        "\n"
        "Investigating:\n$investigating\n"
        "\n"
        "Confirmed causes:\n$hypotheses\n"
        "\n"
        "Done:\n$actions_done\n"
        "\n"
        "Under way:\n$actions_doing\n"
        "\n"
        "Next:\n$actions_next\n"
        "\n"
        "Incident Commander: $commander. Next update by $next_update."
    ),
    "status_page": (
        "$status - $title\n"
        "\n"
        "$impact_level. $impact\n"
        "\n"
        "$changes\n"
        "$shared\n"
        "\n"
        "We will post the next update by $next_update."
    ),
}


def check_audience(audience: Any) -> str:
    if audience not in UPDATE_AUDIENCES:
        raise invalid("audience", f"audience is one of {', '.join(UPDATE_AUDIENCES)}.")
    return audience


def template_for(audience: str) -> str:
    row = db.session.get(UpdateTemplate, check_audience(audience))
    return row.body if row else DEFAULT_TEMPLATES[audience]


def check_template(audience: str, body: str) -> str:
    """The template if it only uses this audience's placeholders; `invalid` otherwise."""
    if not body.strip() or len(body) > MAX_TEMPLATE_LENGTH:
        raise invalid("body", f"Write a template of up to {MAX_TEMPLATE_LENGTH} characters.")
    template = Template(body)
    if not template.is_valid():
        raise invalid("body", "A $ starts a placeholder such as $status; write $$ for a $ sign.")
    allowed = PLACEHOLDERS[audience]
    unknown = [name for name in template.get_identifiers() if name not in allowed]
    if unknown:
        raise invalid(
            "body",
            f"${unknown[0]} is not available in this template; use "
            + ", ".join(f"${name}" for name in allowed)
            + ".",
        )
    return body


@commits_itself
def save_template(audience: str, body: str, actor: User) -> None:
    """Store the team's template for `audience` (admins only); an empty body restores the
    default."""
    require_admin(actor)
    check_audience(audience)
    row = db.session.get(UpdateTemplate, audience)
    if not body.strip():
        if row is not None:
            db.session.delete(row)
        db.session.commit()
        return
    body = check_template(audience, body.replace("\r\n", "\n"))
    if row is None:
        row = UpdateTemplate(audience=audience)
        db.session.add(row)
    row.body = body
    row.updated_by_id = actor.id
    row.updated_at = now()
    db.session.commit()
