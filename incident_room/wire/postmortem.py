"""The post-mortem as it crosses layers: its header, sections, action items, and the whole
document every export (PDF, Markdown, JSON) renders."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from ..clock import iso
from ..models import (
    Postmortem,
    PostmortemActionItem,
    PostmortemMilestone,
    PostmortemRequirement,
    PostmortemReview,
    PostmortemSection,
)
from ..policy import (
    ACTION_ITEM_STATES,
    FIVE_WHYS,
    MILESTONE_LABELS,
    POSTMORTEM_REVIEW_PERIOD,
    POSTMORTEM_SECTIONS,
    POSTMORTEM_STATUS_LABELS,
    REVIEW_DECISIONS,
)
from .incident import ChecklistItemView, EntryView, IncidentView
from .people import UserRef, user_ref
from .runbooks import RunbookRecord

SECTION_LABELS = {key: label for key, label, _ in POSTMORTEM_SECTIONS}
SECTION_PROMPTS = {key: prompt for key, _, prompt in POSTMORTEM_SECTIONS}
SECTION_KEYS = tuple(SECTION_LABELS)


class Flag(TypedDict):
    code: str
    message: str


class PostmortemHeader(TypedDict):
    id: str
    revision: int
    status: str
    status_label: str
    opened_at: str
    published_at: str | None
    published_by: UserRef | None
    review_started_at: str | None
    review_ends_at: str | None
    early_publish_reason: str | None


class ReviewView(TypedDict):
    reviewer: UserRef
    asked_by: UserRef
    asked_at: str
    decision: str | None
    decision_label: str
    comment: str | None
    decided_at: str | None


def review_view(review: PostmortemReview) -> ReviewView:
    return {
        "reviewer": user_ref(review.reviewer),
        "asked_by": user_ref(review.asked_by),
        "asked_at": iso(review.asked_at),
        "decision": review.decision,
        "decision_label": REVIEW_DECISIONS.get(review.decision or "", "Awaited"),
        "comment": review.comment,
        "decided_at": iso(review.decided_at),
    }


class SectionView(TypedDict):
    key: str
    label: str
    prompt: str
    five_whys: bool
    text: str
    version: int
    updated_at: str | None
    updated_by: UserRef | None
    authors: list[dict[str, Any]]


class ActionItemView(TypedDict):
    id: str
    position: int
    text: str
    owner: UserRef | None
    due_on: str | None
    tracker_url: str | None
    version: int
    deleted: bool
    created_at: str
    flags: list[Flag]
    state: str
    state_label: str
    state_reason: str | None
    done_at: str | None
    tracker_key: str | None


class Metrics(TypedDict):
    """How long each part of the response took (seconds; None: not recorded)."""

    impact_started_at: str | None
    declared_at: str
    acknowledged_at: str | None
    mitigated_at: str | None
    resolved_at: str | None
    time_to_detect: float | None
    time_to_acknowledge: float | None
    time_to_mitigate: float | None
    time_to_resolve: float | None
    duration: float | None
    ongoing: bool
    status_durations: list[dict[str, Any]]
    severity_durations: list[dict[str, Any]]


class PostmortemDocument(TypedDict):
    """The one document the post-mortem page and every export render."""

    format: str
    generated_at: str
    incident: IncidentView
    postmortem: PostmortemHeader | None
    severity_history: list[dict[str, Any]]
    status_history: list[dict[str, Any]]
    phases: dict[str, list[dict[str, Any]]]
    metrics: Metrics
    participants: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    timeline: list[EntryView]
    decisions: list[dict[str, Any]]
    hypotheses: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    checklist: list[ChecklistItemView]
    sections: list[SectionView]
    action_items: list[ActionItemView]
    blameless: list[dict[str, Any]]
    runbooks: RunbookRecord
    appendix: dict[str, Any]


class Reason(TypedDict):
    code: str
    message: str


class RequirementView(TypedDict):
    """Whether the post-mortem is held: `required` by the rules (`reasons`), `choice` the
    IC's call on top (None, "asked", "waived"), `held` the outcome, `summary` in words."""

    required: bool
    reasons: list[Reason]
    engineering_hours: float
    decided_at: str
    choice: str | None
    choice_reason: str | None
    choice_by: UserRef | None
    choice_at: str | None
    cause_tag: str | None
    held: bool
    summary: str


def _requirement_summary(decision: PostmortemRequirement) -> str:
    who = decision.choice_by.display_name if decision.choice_by else "The Incident Commander"
    if decision.choice == "waived":
        return f"Post-mortem waived by {who}: {decision.choice_reason}"
    if decision.choice == "asked":
        return f"Post-mortem asked for by {who}, although the playbook does not require one."
    if decision.required:
        return "Post-mortem required: " + " ".join(r["message"] for r in decision.reasons)
    return "No post-mortem required: none of the playbook's rules apply."


def requirement_view(decision: PostmortemRequirement) -> RequirementView:
    return {
        "required": decision.required,
        "reasons": list(decision.reasons),
        "engineering_hours": round(decision.engineering_seconds / 3600, 2),
        "decided_at": iso(decision.decided_at),
        "choice": decision.choice,
        "choice_reason": decision.choice_reason,
        "choice_by": user_ref(decision.choice_by),
        "choice_at": iso(decision.choice_at),
        "cause_tag": decision.cause_tag,
        "held": (decision.required and decision.choice != "waived") or decision.choice == "asked",
        "summary": _requirement_summary(decision),
    }


class MilestoneView(TypedDict):
    """One step of the schedule: `overdue` when past `due_at` and not done."""

    key: str
    label: str
    due_at: str
    done_at: str | None
    reminded_at: str | None
    overdue: bool


def milestone_view(row: PostmortemMilestone, at: datetime) -> MilestoneView:
    return {
        "key": row.key,
        "label": MILESTONE_LABELS[row.key],
        "due_at": iso(row.due_at),
        "done_at": iso(row.done_at),
        "reminded_at": iso(row.reminded_at),
        "overdue": row.done_at is None and at >= row.due_at,
    }


def postmortem_header(postmortem: Postmortem) -> PostmortemHeader:
    return {
        "id": postmortem.id,
        "revision": postmortem.revision,
        "status": postmortem.status,
        "status_label": POSTMORTEM_STATUS_LABELS[postmortem.status],
        "opened_at": iso(postmortem.opened_at),
        "published_at": iso(postmortem.published_at),
        "published_by": user_ref(postmortem.published_by),
        "review_started_at": iso(postmortem.review_started_at),
        "review_ends_at": iso(
            postmortem.review_started_at + POSTMORTEM_REVIEW_PERIOD
            if postmortem.review_started_at
            else None
        ),
        "early_publish_reason": postmortem.early_publish_reason,
    }


def section_view(key: str, **values: Any) -> SectionView:
    return {
        "key": key,
        "label": SECTION_LABELS[key],
        "prompt": SECTION_PROMPTS[key],
        "five_whys": key in FIVE_WHYS,
        **values,
    }


def section_dict(section: PostmortemSection) -> SectionView:
    return section_view(
        section.key,
        text=section.text,
        version=section.version,
        updated_at=iso(section.updated_at),
        updated_by=user_ref(section.updated_by),
        authors=section.authors,
    )


def blank_sections() -> list[SectionView]:
    """The sections as they read before the post-mortem opens (all-clear not yet called)."""
    return [
        section_view(key, text="", version=0, updated_at=None, updated_by=None, authors=[])
        for key in SECTION_KEYS
    ]


def action_item_flags(item: PostmortemActionItem) -> list[Flag]:
    flags = []
    if item.owner_id is None:
        flags.append({"code": "no_owner", "message": "No owner yet: who will see this through?"})
    if item.due_on is None:
        flags.append({"code": "no_due_date", "message": "No due date yet: by when?"})
    return flags


def action_item_dict(item: PostmortemActionItem) -> ActionItemView:
    return {
        "id": item.id,
        "position": item.position,
        "text": item.text,
        "owner": user_ref(item.owner),
        "due_on": item.due_on.isoformat() if item.due_on else None,
        "tracker_url": item.tracker_url,
        "version": item.version,
        "deleted": item.deleted,
        "created_at": iso(item.created_at),
        "flags": action_item_flags(item),
        "state": item.state,
        "state_label": ACTION_ITEM_STATES[item.state],
        "state_reason": item.state_reason,
        "done_at": iso(item.done_at) if item.done_at else None,
        "tracker_key": item.tracker_key,
    }
