"""The status page's rules and numbers: component states (Atlassian Statuspage's values),
how bad each is, what an incident's severity means to the public, and the cache's life."""

from __future__ import annotations

from datetime import timedelta

# Component states, best first (the order is how bad they are).
STATES = ("operational", "degraded_performance", "partial_outage", "major_outage")
STATE_LABELS = {
    "operational": "Operational",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
}
# The page's overall indicator (Statuspage's `status.indicator`) for the worst component.
INDICATOR_FOR_STATE = {
    "operational": "none",
    "degraded_performance": "minor",
    "partial_outage": "major",
    "major_outage": "critical",
}
INDICATORS = ("none", "minor", "major", "critical")
INDICATOR_DESCRIPTION = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
}
# An incident's public impact (Statuspage's `incident.impact`) from its severity.
IMPACT_FOR_SEVERITY = {"SEV1": "critical", "SEV2": "major", "SEV3": "minor", "SEV4": "none"}
# The state offered for the affected components, from the impact level the drafter knows
# (policy.PUBLIC_IMPACT_LEVEL): a SEV1 is a major outage, a SEV2 a partial one.
STATE_FOR_SEVERITY = {
    "SEV1": "major_outage",
    "SEV2": "partial_outage",
    "SEV3": "degraded_performance",
    "SEV4": "degraded_performance",
}
# Statuspage's incident statuses, from the room's (policy.PUBLIC_STATUS says them in words).
INCIDENT_STATUS = {
    "declared": "investigating",
    "investigating": "investigating",
    "identified": "identified",
    "mitigated": "monitoring",
    "resolved": "resolved",
    "postmortem": "postmortem",
    "closed": "resolved",
}
OPEN_STATUSES = ("declared", "investigating", "identified", "mitigated")
HISTORY_DAYS = 90
# Uptime as Statuspage counts it: a major outage is downtime, a partial outage counts for
# 30% of its time, degraded performance for none.
DOWNTIME_WEIGHT = {
    "operational": 0.0,
    "degraded_performance": 0.0,
    "partial_outage": 0.3,
    "major_outage": 1.0,
}
# A CDN may keep a rendering this long; browsers revalidate with the ETag.
CACHE_CONTROL = "public, max-age=10, stale-while-revalidate=30"
NAME_MAX = 100
DESCRIPTION_MAX = 500


def worst(states: list[str] | tuple[str, ...]) -> str:
    """The worst of some states (operational when there are none)."""
    return max(states, key=STATES.index, default="operational")


# An incident whose title scrubs to nothing is still shown by something.
INCIDENT_DESCRIPTION_FALLBACK = "Service disruption"
MAINTENANCE_TITLE_MAX = 200
# The page's id in the JSON (Statuspage names each page; ours is the one).
PAGE_ID = "incident-room"
MAINTENANCE_DESCRIPTION = "Service Under Maintenance"
# A maintenance's statuses in the order the clock moves it, and the update Statuspage posts
# (its own wording) when the clock passes the start and the end.
MAINTENANCE_STATUSES = ("scheduled", "in_progress", "completed")
MAINTENANCE_CLOCK_UPDATES = {
    "in_progress": "Scheduled maintenance is currently in progress. "
    "We will provide updates as necessary.",
    "completed": "The scheduled maintenance has been completed.",
}
UPDATE_MAX = 2000
NOTICE_BATCH = 20
# Statuspage lists the last 50 incidents; so do we (and /status its past ones).
INCIDENTS_LISTED = 50
# Maintenance updates older than this are not told to subscribers any more.
NOTICE_WINDOW = timedelta(days=1)
