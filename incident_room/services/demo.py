"""The demo's finished incident: declared, worked, resolved and written up, post-mortem
published, so a newcomer sees the whole result at once (`flask --app app demo`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from ..clock import FrozenClock, now, replaying
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


# Minutes after the declaration each status was reached; the all-clear comes last.
STATUS_MINUTES = (("investigating", 4), ("identified", 15), ("mitigated", 38))
ALL_CLEAR_MINUTES = 50
# The night's only responder, so the IC ends it alone (a SEV2 otherwise waits for a second).
ALONE = "Search back to normal on the EU dashboards for 12 minutes; nobody else on shift"
STARTED_AGO = timedelta(hours=26)  # written up and published the next day


def seed_finished_incident(user: User) -> Incident:
    """Declare, work and close a SEV2 yesterday, and publish its post-mortem, as `user`,
    each step at its own time (a clock of its own), so the metrics read as a real one."""
    with replaying(current_app._get_current_object(), now() - STARTED_AGO) as clock:
        incident = declare_incident(user, FINISHED)
        started = clock()

        def record(inc: Incident) -> dict:
            for kind, text, details, minutes_ago in ENTRIES:
                at = started - timedelta(minutes=minutes_ago)
                new = NewEntry(kind=kind, text=text, occurred_at=at, details=details)
                add_entry(inc, user, new)
            return {}

        run_change(incident.id, user, record)
        for status, minutes in STATUS_MINUTES:
            clock.current = started + timedelta(minutes=minutes)
            changes = IncidentChanges(status=status)
            run_change(incident.id, user, lambda inc, c=changes: update_incident(inc, user, c))
        clock.current = started + timedelta(minutes=ALL_CLEAR_MINUTES)
        run_change(incident.id, user, lambda inc: call_all_clear(inc, user, None, None, ALONE))
        clock.current = started + timedelta(hours=20)
        _write_up(incident, user, clock, started)
    return incident


def _write_up(incident: Incident, user: User, clock: FrozenClock, started: datetime) -> None:
    for key, text in SECTIONS.items():
        edit = SectionEdit(key, 1, text)
        run_change(incident.id, user, lambda inc, e=edit: edit_section(inc, user, e))
    item = NewActionItem("Check the shard's document count before publishing the alias", user)
    run_change(incident.id, user, lambda inc: add_action_item(inc, user, item))
    for hours, status in ((22, "in_review"), (25, "published")):
        clock.current = started + timedelta(hours=hours)
        run_change(
            incident.id,
            user,
            lambda inc, s=status: set_status(inc, user, s, "Reviewed together in the meeting"),
        )
