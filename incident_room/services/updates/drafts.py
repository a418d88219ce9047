"""Drafting the next update for an audience from its template and the facts."""

from __future__ import annotations

import re
from datetime import datetime
from string import Template

from ...clock import iso, now
from ...models import Incident
from ...policy import UPDATE_CADENCE
from .facts import last_update_at, public_facts, stakeholder_facts
from .templates import check_audience, template_for


def draft_update(incident: Incident, audience: str, at: datetime | None = None) -> dict:
    """The next update for `audience`, from the team's template and what changed."""
    check_audience(audience)
    at = at or now()
    since = last_update_at(incident, audience)
    facts_for = stakeholder_facts if audience == "stakeholders" else public_facts
    facts = facts_for(incident, since, at)
    text = Template(template_for(audience)).safe_substitute(facts)
    return {
        "audience": audience,
        "text": re.sub(r"\n{3,}", "\n\n", text).strip(),
        "since": iso(since),
        "next_update_due": iso(at + UPDATE_CADENCE[audience]),
    }
