"""What a client gets when it joins a room or catches up after a reconnect."""

from __future__ import annotations

from typing import Any, TypedDict

from .events import Event
from .evidence import EvidenceView
from .incident import ChecklistItemView, EntryView, IncidentView, RoleAssignmentView
from .observers import LinkView
from .paging import PageView
from .people import UserRef
from .runbooks import RunbookInRoom


class Deadline(TypedDict):
    """A playbook deadline; its owner is told at `warn_at` and again when it passes."""

    key: str
    label: str
    due_at: str
    warn_at: str
    overdue: bool
    owner_role: str
    owner: UserRef | None


class Timers(TypedDict):
    """Everything the room counts down to, with the server's time for the browser's skew."""

    server_now: str
    deadlines: list[Deadline]
    escalation_prompt: bool
    postmortem_due_at: str | None


class RoomState(TypedDict):
    """The whole room, as `join` and `GET /api/incidents/<id>` answer."""

    incident: IncidentView
    timeline: list[EntryView]
    roles: list[dict[str, Any]]
    role_history: list[RoleAssignmentView]
    checklist: list[ChecklistItemView]
    evidence: list[EvidenceView]
    participants: list[UserRef]
    members: list[dict[str, Any]]
    observer_links: list[LinkView]
    timers: Timers
    runbooks: list[RunbookInRoom]
    pages: list[PageView]
    seq: int


class EventsPage(TypedDict):
    """The events after a `seq`, a page at a time (`more`: another page follows)."""

    events: list[Event]
    seq: int
    more: bool
    timers: Timers
