"""Drafting the next update for an audience from its template and the facts."""

from __future__ import annotations

import re
from datetime import datetime
from string import Template

from ...clock import iso, now
from ...models import Incident
from ...policy import UPDATE_CADENCE
from .facts import (
    last_update_at,
    public_changes,
    public_facts,
    shared_since,
    stakeholder_facts,
    stakeholder_news,
)
from .templates import check_audience, template_for


def says_something_new(incident: Incident, audience: str) -> bool:
    """Whether anything this audience hears about changed since its last update (the first
    update always does)."""
    since = last_update_at(incident, audience)
    if since is None:
        return True
    if audience == "stakeholders":
        return bool(stakeholder_news(incident, since))
    return bool(public_changes(incident, since) or shared_since(incident, since))


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
        "news": says_something_new(incident, audience),
    }
