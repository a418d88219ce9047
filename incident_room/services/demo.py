"""The demo's finished incident: declared, worked, resolved and written up, post-mortem
published, so a newcomer sees the whole result at once (`flask --app app demo`)."""

from __future__ import annotations

from datetime import timedelta

from ..clock import now
from ..models import Incident, User
from ..unit_of_work import run_change
from .declare import Declaration, declare_incident
from .lifecycle import IncidentChanges, call_all_clear, update_incident
from .postmortem.action_items import NewActionItem, add_action_item
from .postmortem.sections import SectionEdit, edit_section
from .postmortem.status import set_status
from .timeline import NewEntry, add_entry

FINISHED = Declaration(
    title="Search results empty for EU customers",
    severity="SEV2",
    summary="EU customers saw empty search results for 38 minutes after an index rebuild.",
)
ENTRIES = (
    ("note", "Support reports empty search pages from Germany and France", {}, 20),
    (
        "hypothesis",
        "The nightly index rebuild published an empty EU shard",
        {"status": "confirmed"},
        15,
    ),
    (
        "decision",
        "Point EU search at yesterday's index snapshot",
        {"rationale": "fastest safe path"},
        10,
    ),
    ("action", "Swap the EU alias back to the 2026-12-02 snapshot", {"status": "done"}, 5),
)
SECTIONS = {
    "summary": "EU search returned no results for 38 minutes after the nightly rebuild "
    "published an empty shard; pointing the alias back to the previous snapshot fixed it.",
    "customer_impact": "About 40% of EU searches came back empty; no data was lost.",
    "why_1": "The EU alias pointed at a shard with zero documents.",
    "why_2": "The rebuild publishes the alias before checking the shard's document count.",
    "lessons": "Publishing steps need a check of what they publish, not only that they ran.",
}


def seed_finished_incident(user: User) -> Incident:
    """Declare, work and close a SEV2, and publish its post-mortem, as `user`."""
    incident = declare_incident(user, FINISHED)
    started = now()

    def work(inc: Incident) -> dict:
        for kind, text, details, minutes_ago in ENTRIES:
            at = started - timedelta(minutes=minutes_ago)
            add_entry(inc, user, NewEntry(kind=kind, text=text, occurred_at=at, details=details))
        for status in ("investigating", "identified", "mitigated"):
            update_incident(inc, user, IncidentChanges(status=status))
        return call_all_clear(inc, user, owner=None)

    run_change(incident.id, user, work)
    for key, text in SECTIONS.items():
        edit = SectionEdit(key, 1, text)
        run_change(incident.id, user, lambda inc, e=edit: edit_section(inc, user, e))
    item = NewActionItem("Check the shard's document count before publishing the alias", user)
    run_change(incident.id, user, lambda inc: add_action_item(inc, user, item))
    for status in ("in_review", "published"):
        run_change(incident.id, user, lambda inc, s=status: set_status(inc, user, s))
    return incident
