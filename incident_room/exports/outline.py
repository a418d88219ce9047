"""What the PDF and the Markdown both show, in the same order and the same words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..policy import FIVE_WHYS, ROLE_LABELS, STATUS_LABELS
from ..wire.postmortem import PostmortemDocument
from .formatting import format_duration, format_time

OPENING = ("summary", "customer_impact")
ANALYSIS = ("contributing_factors", "went_well", "went_badly", "got_lucky")
CLOSING = ("lessons",)


@dataclass(frozen=True)
class Outline:
    opening: list[dict[str, Any]]
    five_whys: list[dict[str, Any]]
    analysis: list[dict[str, Any]]
    closing: list[dict[str, Any]]


def outline(document: PostmortemDocument) -> Outline:
    by_key = {section["key"]: section for section in document["sections"]}

    def pick(keys: tuple[str, ...]) -> list[dict[str, Any]]:
        return [by_key[key] for key in keys if key in by_key]

    return Outline(pick(OPENING), pick(FIVE_WHYS), pick(ANALYSIS), pick(CLOSING))


NOT_RECORDED = "not recorded"


def _time(value: str | None) -> str:
    """A moment the log holds, or plainly that it holds none: never inferred."""
    return format_time(value) if value else NOT_RECORDED


def _duration(seconds: int | None) -> str:
    return format_duration(seconds) if seconds is not None else NOT_RECORDED


def metric_rows(document: PostmortemDocument) -> list[tuple[str, str]]:
    metrics = document["metrics"]
    return [
        ("Impact started", _time(metrics["impact_started_at"])),
        ("Declared", format_time(metrics["declared_at"])),
        ("Acknowledged", _time(metrics["acknowledged_at"])),
        ("Mitigated", _time(metrics["mitigated_at"])),
        ("Resolved", _time(metrics["resolved_at"])),
        ("Time to detect", _duration(metrics["time_to_detect"])),
        ("Time to acknowledge", _duration(metrics["time_to_acknowledge"])),
        ("Time to mitigate", _duration(metrics["time_to_mitigate"])),
        ("Time to resolve", _duration(metrics["time_to_resolve"])),
        (
            "Duration" + (" so far" if metrics["ongoing"] else ""),
            format_duration(metrics["duration"]),
        ),
    ]


def person(ref: dict[str, Any] | None, nobody: str = "—") -> str:
    return ref["display_name"] if ref else nobody


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status, status) if status else "—"


def document_title(document: PostmortemDocument) -> str:
    incident = document["incident"]
    return f"{incident['reference']} post-mortem: {incident['title']}"


def postmortem_status(document: PostmortemDocument) -> str:
    postmortem = document["postmortem"]
    if postmortem is None:
        return "Not opened (the incident is not resolved yet)"
    return f"{postmortem['status_label']}, revision {postmortem['revision']}"


def evidence_labels(document: PostmortemDocument) -> dict[str, list[str]]:
    """'E1', 'E2', ... for each entry with evidence, as the timeline cites its images."""
    labels: dict[str, list[str]] = {}
    for number, evidence in enumerate(document.get("evidence", []), start=1):
        labels.setdefault(evidence["entry_id"], []).append(f"E{number}")
    return labels
