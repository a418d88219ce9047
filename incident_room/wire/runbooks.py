"""What the room gets of a runbook: the pane's rendered text and the steps it ticks off."""

from __future__ import annotations

from typing import Any, TypedDict

from .people import UserRef


class RunbookStepView(TypedDict):
    section: str  # "investigation" or "mitigation"
    number: int
    text: str
    item_id: int  # the checklist item the step became


class RunbookInRoom(TypedDict):
    id: int
    title: str
    alert_key: str
    version: int
    via: str  # "alert" or "room"
    html: str  # sanitised (services/runbooks/markdown.py)
    url: str
    steps: list[RunbookStepView]
    contacts: list[UserRef | None]  # the Escalation section's @handles that are accounts


class RunbookMatch(TypedDict):
    id: int
    title: str
    service: str


class StepRecord(TypedDict):
    section: str
    number: int
    text: str
    done: bool
    done_by: dict[str, Any] | None
    done_at: str | None


class RunbookUsed(TypedDict):
    id: int
    title: str
    alert_key: str
    version: int
    via: str
    url: str
    steps: list[StepRecord]
    steps_done: int


class RunbookRecord(TypedDict):
    """What the post-mortem says of runbooks: which were used, which steps were done, the
    question whether they need changes, and a runbook to write when the alert had none."""

    used: list[RunbookUsed]
    question: str | None
    missing: dict[str, str] | None  # {"alert_key", "suggestion"}
