"""The pages: the incident list with the declare form, and the incident room."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from ..clock import now
from ..errors import DomainError
from ..extensions import db
from ..models import Incident
from ..policy import (
    ACTIVE_STATUSES,
    ALL_CLEAR_NEEDS_SECOND,
    ESCALATION_PROMPT_TEXT,
    SEVERITIES,
    SEVERITY_MEANING,
    STATUS_LABELS,
    STATUS_TRANSITIONS,
    STATUSES,
    UNCLASSIFIED_HINT,
    UPDATE_AUDIENCES,
    WRITABLE_KINDS,
)
from ..services import incident_list as listing
from ..services.catalog.services import all_services
from ..services.declare import declare_incident, parse_quick_syntax, validated
from ..services.entry_details import ACTION_STATUSES, HYPOTHESIS_STATUSES
from ..services.postmortem.milestones import next_milestones
from ..wire.people import user_ref
from .guards import incident_or_404
from .limits import declaration_limit

bp = Blueprint("pages", __name__)


@bp.route("/")
def home() -> ResponseReturnValue:
    return redirect(url_for("pages.incident_list"))


def _declaration_from_form():
    form = request.form
    if form.get("quick", "").strip():
        return parse_quick_syntax(form["quick"])
    speed = form.get("drill_speed", "1")
    return validated(
        form.get("title", ""),
        form.get("severity") or None,
        form.get("summary", ""),
        form.get("private") == "on",
        form.get("drill") == "on",
        int(speed) if speed.isdigit() and len(speed) < 4 else speed,
        form.get("service", "")[:100],
    )


@bp.route("/incidents", methods=["GET", "POST"])
@declaration_limit
@login_required
def incident_list() -> ResponseReturnValue:
    if request.method == "POST":
        try:
            incident = declare_incident(current_user, _declaration_from_form())
        except DomainError as error:
            flash(error.message, "error")
            return _render_list(error_field=error.details.get("field")), 400
        return redirect(url_for("pages.incident_room", incident_id=incident.id))
    return _render_list()


def _render_list(error_field: str | None = None) -> str:
    status = request.args.get("status", "")
    severity = request.args.get("severity", "")
    incidents = list(db.session.scalars(listing.incident_list(current_user, status, severity)))
    return render_template(
        "incidents/list.html",
        incidents=incidents,
        milestones=next_milestones([incident.id for incident in incidents], now()),
        status_filter=status,
        severity_filter=severity,
        severities=SEVERITIES,
        severity_meaning=SEVERITY_MEANING,
        services=all_services(),
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
        active_statuses=ACTIVE_STATUSES,
        error_field=error_field,
        unclassified_hint=UNCLASSIFIED_HINT,
        form=request.form,
    )


@bp.route("/incidents/<int:incident_id>")
@login_required
def incident_room(incident_id: int) -> ResponseReturnValue:
    incident = incident_or_404(incident_id)
    return render_template(
        "incidents/room.html", incident=incident, room_config=_room_config(incident)
    )


def _room_config(incident: Incident) -> dict[str, Any]:
    """What the room's scripts need besides the live state: who is looking, the playbook's
    choices, and the addresses of the pages around the room."""
    return {
        "incident_id": incident.id,
        "reference": incident.reference,
        "me": user_ref(current_user),
        "csrf_token": generate_csrf(),
        "severities": SEVERITIES,
        "severity_meaning": SEVERITY_MEANING,
        "status_labels": STATUS_LABELS,
        "status_transitions": {key: sorted(moves) for key, moves in STATUS_TRANSITIONS.items()},
        "active_statuses": ACTIVE_STATUSES,
        "all_clear_needs_second": ALL_CLEAR_NEEDS_SECOND,
        "writable_kinds": WRITABLE_KINDS,
        "choices": {
            "hypothesis": HYPOTHESIS_STATUSES,
            "action": ACTION_STATUSES,
            "update": UPDATE_AUDIENCES,
        },
        "messages": {"escalation_prompt": ESCALATION_PROMPT_TEXT},
        "links": {
            "draft_update": f"/incidents/{incident.id}/updates/new",
            "observers": f"/incidents/{incident.id}/observers",
            "postmortem": url_for("postmortem.editor", incident_id=incident.id),
        },
    }
