"""What the room gets of a runbook: the pane's rendered text and the steps it ticks off."""

from __future__ import annotations

from typing import TypedDict


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


class RunbookMatch(TypedDict):
    id: int
    title: str
    service: str
