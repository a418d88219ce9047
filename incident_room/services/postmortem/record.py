"""The response record the post-mortem lifts from structured timeline entries: the decision
log, the hypotheses with what settled them, and the actions taken.

The scribe wrote these during the incident (`entry_details`), so the review starts from
what was decided and tried, not from memory.
"""

from __future__ import annotations

from typing import Any

from ..entry_details import complete_details

HYPOTHESIS_STATUS_LABELS = {"open": "Open", "confirmed": "Confirmed", "ruled_out": "Ruled out"}
ACTION_STATUS_LABELS = {"todo": "To do", "doing": "Doing", "done": "Done"}


def _of_kind(timeline: list[dict[str, Any]], kind: str) -> list[tuple[dict, dict]]:
    """Entries of `kind`, each with its complete details (defaults where unset)."""
    return [
        (entry, complete_details(kind, entry["details"] or {}))
        for entry in timeline
        if entry["kind"] == kind
    ]


def decision_log(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each decision: when, what, why, what else was weighed, and who decided."""
    return [
        {
            "entry_id": entry["id"],
            "at": entry["occurred_at"],
            "decision": entry["text"],
            "rationale": details["rationale"],
            "alternatives": details["alternatives"],
            "decided_by": details["decided_by"] or entry["author"],
        }
        for entry, details in _of_kind(timeline, "decision")
    ]


def _settled_by(entry_id: str | None, by_id: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    evidence = by_id.get(entry_id) if entry_id else None
    if evidence is None:
        return None
    return {"entry_id": evidence["id"], "at": evidence["occurred_at"], "text": evidence["text"]}


def hypothesis_table(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each hypothesis: the statement, open / confirmed / ruled out, and the entry that
    settled it (absent when that entry was deleted)."""
    by_id = {entry["id"]: entry for entry in timeline}
    return [
        {
            "entry_id": entry["id"],
            "at": entry["occurred_at"],
            "statement": entry["text"],
            "status": details["status"],
            "status_label": HYPOTHESIS_STATUS_LABELS[details["status"]],
            "evidence": _settled_by(details["evidence_entry_id"], by_id),
        }
        for entry, details in _of_kind(timeline, "hypothesis")
    ]


def action_record(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each action taken during the response: what, who owned it, how far it got, its ETA."""
    return [
        {
            "entry_id": entry["id"],
            "at": entry["occurred_at"],
            "action": entry["text"],
            "owner": details["owner"],
            "status": details["status"],
            "status_label": ACTION_STATUS_LABELS[details["status"]],
            "eta": details["eta"],
        }
        for entry, details in _of_kind(timeline, "action")
    ]


def response_record(timeline: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {
        "decisions": decision_log(timeline),
        "hypotheses": hypothesis_table(timeline),
        "actions": action_record(timeline),
    }
