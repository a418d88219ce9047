"""The playbook's rules for runbooks: the six sections, when one is stale, how big it may be."""

from __future__ import annotations

# The six sections in order: (key, the heading a runbook gives it).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("symptom", "Symptom"),
    ("impact", "Impact"),
    ("investigation", "Investigation steps"),
    ("mitigation", "Mitigation steps"),
    ("escalation", "Escalation"),
    ("context", "Context"),
)
# Sections whose numbered steps become checklist items in the room.
STEP_SECTIONS = ("investigation", "mitigation")
# How a step reads on the checklist: "Investigation 2: ...".
STEP_LABELS = {"investigation": "Investigation", "mitigation": "Mitigation"}
# A runbook not updated for this long is listed as stale (RUNBOOK_STALE_DAYS overrides).
STALE_AFTER_DAYS = 180
# The whole Markdown document, in characters.
MAX_BODY_CHARS = 50_000
MAX_OWNER_CHARS = 200
MAX_ALERT_KEY_CHARS = 200
# Link and image addresses a runbook may use (plus relative ones within the app).
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Search: words read from a query, results shown, characters of an incident indexed.
MAX_SEARCH_WORDS = 12
MAX_SEARCH_RESULTS = 20
MAX_INDEXED_CHARS = 200_000
# The text search configuration on PostgreSQL (stemming: "timeouts" finds "timeout").
POSTGRES_TEXT_SEARCH = "english"
# The on-call health figure: the share of alert-opened incidents that came with a runbook.
RUNBOOK_SHARE_HEALTHY = 0.80  # above: healthy
RUNBOOK_SHARE_UNHEALTHY = 0.50  # below: unhealthy; in between: watch it
