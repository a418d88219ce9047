"""Pages in the browser: every signed-in socket joins its person's pager room, hears of
pages to them at once (`page`, and `pages` on connect), and acknowledges with `page.ack`
from any tab - no need to have joined the incident's room first."""

from __future__ import annotations

from typing import Any

from flask_socketio import emit, join_room

from ..extensions import socketio
from ..services import accounts
from ..services.paging import pages
from ..unit_of_work import run_change
from ..validation import require_bool, require_int, require_uuid
from ..wire.events import Event
from .acks import current_actor, joined_change, socket_event


def pager_room(user_id: int) -> str:
    return f"pager:{user_id}"


def join_own_pager() -> None:
    """On connect: this socket hears the person's pages; the open ones are sent at once."""
    me = current_actor()
    join_room(pager_room(me.id))
    emit("pages", {"pages": pages.open_pages_for(me)})


def send_to_pagers(_incident_id: int, events: list[Event]) -> None:
    """After commit: each page event goes to the pager rooms of everyone it paged."""
    for event in events:
        if not event["type"].startswith("page."):
            continue
        page = event["data"]["page"]
        for person in {p["id"] for p in page["paged"] if p}:
            socketio.emit("page", page, to=pager_room(person))


@socket_event("page.person")
def on_page_person(payload: dict[str, Any]) -> dict[str, Any]:
    person = accounts.resolve_user(payload.get("user"))
    return joined_change(payload, lambda inc: pages.page_person(inc, current_actor(), person))


@socket_event("page.ack")
def on_page_ack(payload: dict[str, Any]) -> dict[str, Any]:
    page_id = require_int(payload, "page_id")
    op_id = require_uuid(payload, "op_id")
    take_command = require_bool(payload, "take_command") if "take_command" in payload else False
    incident_id = pages.page_of(page_id).incident_id
    actor = current_actor()
    return run_change(
        incident_id,
        actor,
        lambda inc: pages.acknowledge(inc, actor, page_id, take_command),
        op_id=op_id,
    )
