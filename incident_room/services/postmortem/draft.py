"""The post-mortem document: the facts the app knows, and what the team wrote.

Facts (dates, severity and status history, metrics, people and roles, the factual
timeline, the decision log, hypotheses and actions from structured entries, evidence
images, the checklist record, and an appendix with the event chain and edit history) are
built from the incident's tables and event log on every read while the draft is open; a
published revision keeps the document exactly as it was published. Every export (PDF,
Markdown, JSON) renders this one document.
"""

from __future__ import annotations

from typing import Any

from ...clock import iso, now
from ...models import Incident, Postmortem
from ...wire.evidence import evidence_dict
from ...wire.incident import incident_dict
from ...wire.postmortem import (
    PostmortemDocument,
    action_item_dict,
    blank_sections,
    postmortem_header,
    section_dict,
)
from ..checklist import checklist_state
from ..evidence import incident_evidence
from ..participants import participants_state
from ..roles import role_history
from ..runbooks.record import runbook_record
from ..timeline import timeline_state
from .action_items import active_action_items
from .appendix import chain_summary, edit_history
from .blameless import document_flags, names_to_watch
from .metrics import field_history, incident_metrics, response_end, spans, state_changes
from .record import response_record
from .sections import sections_of
from .workspace import current_postmortem

DOCUMENT_FORMAT = "incident-room.postmortem/1"


def _phases(changes: list, field: str) -> list[dict[str, Any]]:
    end = response_end(changes) or now()
    return [
        {"start": iso(span.start), "end": iso(span.end), "value": span.value}
        for span in spans(changes, field, end)
    ]


# Entries the app writes itself (declaration, status, roles): nothing to advise on.
MACHINE_KINDS = ("status", "role")


def team_parts(postmortem: Postmortem | None) -> dict[str, Any]:
    """The sections and open action items the team wrote (blank before all-clear)."""
    if postmortem is None:
        return {"sections": blank_sections(), "action_items": []}
    return {
        "sections": [section_dict(section) for section in sections_of(postmortem)],
        "action_items": [action_item_dict(item) for item in active_action_items(postmortem)],
    }


def blame_flags(
    incident: Incident, parts: dict[str, Any], timeline: list[dict[str, Any]] = ()
) -> list[dict[str, Any]]:
    """Flags in what the team wrote, and in the timeline as the post-mortem copies it (people
    write "because John pushed..." there first). Advice only: nothing is rewritten."""
    names = names_to_watch(participants_state(incident.id))
    written = [entry for entry in timeline if entry["kind"] not in MACHINE_KINDS]
    return document_flags(parts["sections"], parts["action_items"], names, written)


def evidence_shown(incident_id: int, timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The images attached to entries still on the timeline, in upload order."""
    entries = {entry["id"]: entry for entry in timeline}
    return [
        {
            **evidence_dict(evidence),
            "entry_at": entries[evidence.entry_id]["occurred_at"],
            "entry_text": entries[evidence.entry_id]["text"],
        }
        for evidence in incident_evidence(incident_id)
        if evidence.entry_id in entries
    ]


def build_document(incident: Incident, postmortem: Postmortem | None) -> PostmortemDocument:
    changes = state_changes(incident.id)
    parts = team_parts(postmortem)
    timeline = [entry for entry in timeline_state(incident.id) if not entry["deleted"]]
    return {
        "format": DOCUMENT_FORMAT,
        "generated_at": iso(now()),
        "incident": incident_dict(incident),
        "postmortem": postmortem_header(postmortem) if postmortem else None,
        "severity_history": field_history(changes, "severity"),
        "status_history": field_history(changes, "status"),
        "phases": {"status": _phases(changes, "status"), "severity": _phases(changes, "severity")},
        "metrics": incident_metrics(incident, changes),
        "participants": participants_state(incident.id),
        "roles": role_history(incident.id),
        "timeline": timeline,
        **response_record(timeline),
        "evidence": evidence_shown(incident.id, timeline),
        "checklist": checklist_state(incident.id),
        **parts,
        "blameless": blame_flags(incident, parts, timeline),
        "runbooks": runbook_record(incident),
        "appendix": {"chain": chain_summary(incident), "edits": edit_history(incident.id)},
    }


def postmortem_document(incident: Incident) -> PostmortemDocument:
    """The current revision's document: as published, or as the draft reads right now."""
    postmortem = current_postmortem(incident.id)
    if postmortem is not None and postmortem.published_document is not None:
        return postmortem.published_document
    return build_document(incident, postmortem)
