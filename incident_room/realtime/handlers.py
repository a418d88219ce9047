"""Socket.IO events (PROTOCOL.md and docs/protocol.md): parse, authorise, call, reply."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room, leave_room

from ..clock import iso
from ..errors import invalid
from ..extensions import db, socketio
from ..models import Incident
from ..observability.metrics import metrics
from ..policy import (
    REASON_MAX_LENGTH,
    ROLES,
    SEVERITIES,
    STATUSES,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    WRITABLE_KINDS,
)
from ..services import accounts, checklist, lifecycle, members, roles, timeline
from ..services.access import can_view, visible_incident
from ..services.participants import is_participant, note_participant
from ..services.room import events_since, room_state
from ..services.timers import apply_due_rules
from ..services.updates.posting import add_update
from ..unit_of_work import EventType, run_change
from ..validation import (
    optional_choice,
    optional_int,
    optional_text,
    optional_timestamp,
    optional_uuid,
    require_bool,
    require_choice,
    require_int,
    require_text,
    require_uuid,
)
from . import (
    live_text_events,
    observer_events,
    observer_sockets,
    paging_events,
    presence,
    status_page_events,
)
from .acks import current_actor, error_ack, joined_change, log, require_joined, socket_event
from .broadcast import room_name
from .packets import MALFORMED


def _max_text() -> int:
    return current_app.config["MAX_TEXT_LENGTH"]


@socketio.on("connect")
def on_connect(auth: Any = None) -> None:
    if observer_events.wants_observer(auth):
        observer_events.connect_observer(auth)
    elif status_page_events.wants_status_page(auth):
        status_page_events.watch_status_page()
    elif not current_user.is_authenticated:
        raise ConnectionRefusedError({"code": "unauthenticated", "message": "Log in first."})
    else:
        paging_events.join_own_pager()
    metrics.client_connected()


@socketio.on("disconnect")
def on_disconnect(*_: Any) -> None:
    metrics.client_disconnected()
    if observer_sockets.forget(request.sid):
        # May run inside the request that revoked the link: leave its session alone.
        observer_events.disconnect_observer(request.sid)
        return
    try:
        live_text_events.editor_left()
        for incident_id in presence.leave(request.sid):
            presence.broadcast(incident_id)
    finally:
        db.session.remove()


@socketio.on("*")
def on_unknown(event: Any, payload: Any = None) -> dict[str, Any]:
    """Any event no handler knows, and packets that could not be read (packets.py): one log
    line and `invalid` in the ack, never silence and never a traceback."""
    if event == MALFORMED:
        reason = str(payload)[:100]
        log.warning("socket %s sent a packet that could not be read: %s", request.sid, reason)
        return error_ack(invalid("packet", f"The server could not read that message ({reason})."))
    name = str(event)[:80]
    log.warning("socket %s sent the unknown event %r", request.sid, name)
    return error_ack(invalid("event", f"Unknown event {name!r}."))


@socket_event("join", read=True)
def on_join(payload: dict[str, Any]) -> dict[str, Any]:
    user = current_actor()
    incident = visible_incident(user, require_int(payload, "incident_id"))
    since = optional_int(payload, "since")
    apply_due_rules(incident)
    if not is_participant(incident, user):
        run_change(incident.id, user, lambda inc: note_participant(inc, user))
    # Join before reading: an event committed in between arrives twice at worst (the
    # client drops seq it already has), never zero times.
    join_room(room_name(incident.id))
    presence.enter(request.sid, incident.id, user.id)
    incident = visible_incident(user, incident.id)
    db.session.refresh(incident)
    ack = events_since(incident, since) if since is not None else room_state(incident)
    presence.broadcast(incident.id)
    return {**ack, "presence": presence.room_presence(incident.id)}


@socket_event("leave", read=True)
def on_leave(payload: dict[str, Any]) -> dict[str, Any]:
    incident_id = require_int(payload, "incident_id")
    leave_room(room_name(incident_id))
    presence.leave(request.sid, incident_id)
    presence.broadcast(incident_id)
    return {}


@socket_event("presence.editing")
def on_editing(payload: dict[str, Any]) -> dict[str, Any]:
    incident_id = require_joined(payload)
    entry_id = optional_uuid(payload, "entry_id")
    presence.set_editing(request.sid, incident_id, entry_id)
    presence.broadcast(incident_id)
    return {}


@socket_event("timeline.add")
def on_timeline_add(payload: dict[str, Any]) -> dict[str, Any]:
    new = timeline.NewEntry(
        kind=require_choice(payload, "kind", WRITABLE_KINDS),
        text=require_text(payload, "text", _max_text()),
        occurred_at=optional_timestamp(payload, "occurred_at"),
        entry_id=optional_uuid(payload, "entry_id"),
        details=payload.get("details"),
    )
    if new.kind == "update":
        confirmed = payload.get("confirm_nothing_new") is True
        return joined_change(
            payload, lambda incident: add_update(incident, current_actor(), new, confirmed)
        )
    return joined_change(
        payload, lambda incident: timeline.add_entry(incident, current_actor(), new)
    )


@socket_event("timeline.edit")
def on_timeline_edit(payload: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if (kind := optional_choice(payload, "kind", WRITABLE_KINDS)) is not None:
        changes["kind"] = kind
    if (text := optional_text(payload, "text", _max_text())) is not None:
        changes["text"] = text
    if (occurred_at := optional_timestamp(payload, "occurred_at")) is not None:
        changes["occurred_at"] = iso(occurred_at)
    if payload.get("details") is not None:
        changes["details"] = payload["details"]
    edit = timeline.EntryEdit(
        entry_id=require_uuid(payload, "entry_id"),
        base_version=require_int(payload, "base_version"),
        changes=changes,
    )
    return joined_change(
        payload, lambda incident: timeline.edit_entry(incident, current_actor(), edit)
    )


def _entry_ref(payload: dict[str, Any]) -> tuple[str, int]:
    return require_uuid(payload, "entry_id"), require_int(payload, "base_version")


@socket_event("timeline.delete")
def on_timeline_delete(payload: dict[str, Any]) -> dict[str, Any]:
    entry_id, base = _entry_ref(payload)
    return joined_change(
        payload, lambda inc: timeline.delete_entry(inc, current_actor(), entry_id, base)
    )


@socket_event("timeline.restore")
def on_timeline_restore(payload: dict[str, Any]) -> dict[str, Any]:
    entry_id, base = _entry_ref(payload)
    return joined_change(
        payload, lambda inc: timeline.restore_entry(inc, current_actor(), entry_id, base)
    )


@socket_event("timeline.history", read=True)
def on_timeline_history(payload: dict[str, Any]) -> dict[str, Any]:
    incident_id = require_joined(payload)
    incident = visible_incident(current_actor(), incident_id)
    entry_id = require_uuid(payload, "entry_id")
    return {"revisions": timeline.entry_history(incident, entry_id), "seq": incident.last_seq}


@socket_event("role.claim")
def on_role_claim(payload: dict[str, Any]) -> dict[str, Any]:
    role = require_choice(payload, "role", ROLES)
    target = accounts.resolve_user(payload["user"]) if payload.get("user") is not None else None
    takeover = payload.get("takeover") is True
    return joined_change(
        payload, lambda inc: roles.claim_role(inc, current_actor(), role, target, takeover)
    )


@socket_event("role.release")
def on_role_release(payload: dict[str, Any]) -> dict[str, Any]:
    role = require_choice(payload, "role", ROLES)
    return joined_change(payload, lambda inc: roles.release_role(inc, current_actor(), role))


@socket_event("checklist.toggle")
def on_checklist_toggle(payload: dict[str, Any]) -> dict[str, Any]:
    item_id = require_int(payload, "item_id")
    done = require_bool(payload, "done")
    return joined_change(
        payload, lambda inc: checklist.toggle_item(inc, current_actor(), item_id, done)
    )


@socket_event("checklist.add")
def on_checklist_add(payload: dict[str, Any]) -> dict[str, Any]:
    text = require_text(payload, "text", 500)
    return joined_change(payload, lambda inc: checklist.add_item(inc, current_actor(), text))


@socket_event("checklist.reorder")
def on_checklist_reorder(payload: dict[str, Any]) -> dict[str, Any]:
    item_ids = payload.get("item_ids")
    if not isinstance(item_ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in item_ids
    ):
        raise invalid("item_ids", "item_ids must be a list of item ids.")
    return joined_change(
        payload, lambda inc: checklist.reorder_items(inc, current_actor(), item_ids)
    )


@socket_event("incident.update")
def on_incident_update(payload: dict[str, Any]) -> dict[str, Any]:
    changes = lifecycle.IncidentChanges(
        severity=optional_choice(payload, "severity", SEVERITIES),
        status=optional_choice(payload, "status", STATUSES),
        title=optional_text(payload, "title", TITLE_MAX_LENGTH),
        summary=optional_text(payload, "summary", SUMMARY_MAX_LENGTH, empty=True),
        reason=optional_text(payload, "reason", REASON_MAX_LENGTH),
    )
    return joined_change(
        payload, lambda inc: lifecycle.update_incident(inc, current_actor(), changes)
    )


@socket_event(EventType.INCIDENT_ALL_CLEAR)
def on_all_clear(payload: dict[str, Any]) -> dict[str, Any]:
    owner_ref = payload.get("postmortem_owner")
    owner = accounts.resolve_user(owner_ref, "postmortem_owner") if owner_ref is not None else None
    override = optional_text(payload, "override_reason", REASON_MAX_LENGTH)
    return joined_change(
        payload,
        lambda inc: lifecycle.call_all_clear(inc, current_actor(), owner, override_reason=override),
    )


@socket_event("incident.all_clear_confirm")
def on_all_clear_confirm(payload: dict[str, Any]) -> dict[str, Any]:
    return joined_change(payload, lambda inc: lifecycle.confirm_all_clear(inc, current_actor()))


@socket_event("incident.all_clear_withdraw")
def on_all_clear_withdraw(payload: dict[str, Any]) -> dict[str, Any]:
    reason = optional_text(payload, "reason", REASON_MAX_LENGTH)
    return joined_change(
        payload, lambda inc: lifecycle.withdraw_all_clear(inc, current_actor(), reason)
    )


@socket_event("incident.escalate")
def on_escalate(payload: dict[str, Any]) -> dict[str, Any]:
    reason = require_text(payload, "reason", REASON_MAX_LENGTH)
    return joined_change(
        payload, lambda inc: lifecycle.escalate_to_sev1(inc, current_actor(), reason)
    )


@socket_event("member.invite")
def on_member_invite(payload: dict[str, Any]) -> dict[str, Any]:
    user = accounts.resolve_user(payload.get("user"))
    return joined_change(payload, lambda inc: members.invite_member(inc, current_actor(), user))


@socket_event("member.remove")
def on_member_remove(payload: dict[str, Any]) -> dict[str, Any]:
    user = accounts.resolve_user(payload.get("user"))
    ack = joined_change(payload, lambda inc: members.remove_member(inc, current_actor(), user))
    incident = db.session.get(Incident, require_joined(payload))
    if not can_view(user, incident):
        presence.disconnect_user(incident.id, user.id)
    return ack
