"""The JSON API under /api (PROTOCOL.md): session cookie or Bearer token."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from ..errors import DomainError, invalid
from ..extensions import csrf, db
from ..services import alerts, evidence
from ..services.access import visible_incident
from ..services.declare import declare_incident, parse_quick_syntax, validated
from ..services.evidence import clean_image
from ..services.incident_list import NEWEST_FIRST, incident_list
from ..services.room import events_since, room_state
from ..services.timeline import entry_history
from ..services.timers import apply_due_rules
from ..unit_of_work import run_change
from ..wire.incident import incident_dict
from .failures import LARGEST_ID
from .limits import api_limit, declaration_limit, with_retry_after

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)


api_limit(bp)


@bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> ResponseReturnValue:
    response = jsonify(error=error.to_dict())
    response.status_code = error.http_status
    if "retry_after" in error.details:
        with_retry_after(response, error.details["retry_after"])
    return response


@bp.before_request
def require_csrf_for_cookie_writes() -> None:
    """Bearer-token calls need no CSRF token; a browser session writing does."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return
    if not current_user.is_authenticated:
        return  # login_required answers 401: no session, nothing to forge
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError:
        raise DomainError(
            "forbidden", "Send the X-CSRFToken header with session requests."
        ) from None


def _json_body() -> dict[str, Any]:
    if request.content_length and request.content_length > current_app.config["MAX_EVENT_BYTES"]:
        raise DomainError("too_large", "The request body is too large.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise invalid("body", "Send a JSON object with Content-Type: application/json.")
    return body


@bp.post("/incidents")
@declaration_limit
@login_required
def declare() -> ResponseReturnValue:
    body = _json_body()
    if "text" in body:
        declaration = parse_quick_syntax(body["text"])
    else:
        declaration = validated(
            body.get("title"),
            body.get("severity"),
            body.get("summary"),
            body.get("private", False),
            body.get("drill", False),
            body.get("drill_speed", 1),
            body.get("service"),
        )
    incident = declare_incident(current_user, declaration)
    return jsonify(incident_dict(incident)), 201


@bp.get("/incidents")
@login_required
def list_incidents() -> ResponseReturnValue:
    query = incident_list(
        current_user, request.args.get("status", ""), request.args.get("severity", ""), NEWEST_FIRST
    )
    incidents = db.session.scalars(query)
    return jsonify(incidents=[incident_dict(incident) for incident in incidents])


def _incident(incident_id: int):
    incident = visible_incident(current_user, incident_id)
    apply_due_rules(incident)
    db.session.refresh(incident)
    return incident


@bp.get("/incidents/<int:incident_id>")
@login_required
def get_incident(incident_id: int) -> ResponseReturnValue:
    return jsonify(room_state(_incident(incident_id)))


@bp.get("/incidents/<int:incident_id>/events")
@login_required
def get_events(incident_id: int) -> ResponseReturnValue:
    since = request.args.get("since", "0")
    if not since.isdigit() or int(since[:12]) > LARGEST_ID:
        raise invalid("since", f"since must be a whole number up to {LARGEST_ID}.")
    return jsonify(events_since(_incident(incident_id), int(since)))


@bp.get("/incidents/<int:incident_id>/entries/<entry_id>/history")
@login_required
def get_entry_history(incident_id: int, entry_id: str) -> ResponseReturnValue:
    return jsonify(revisions=entry_history(_incident(incident_id), entry_id))


def _upload() -> bytes:
    """The image from a multipart `file` field or a raw body, read no further than the limit."""
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    upload = request.files.get("file")
    stream = upload.stream if upload is not None else request.stream
    return stream.read(limit + 1)


@bp.post("/incidents/<int:incident_id>/entries/<entry_id>/evidence")
@login_required
def attach_evidence(incident_id: int, entry_id: str) -> ResponseReturnValue:
    image = clean_image(_upload(), current_app.config["EVIDENCE_MAX_BYTES"])
    user = current_user._get_current_object()
    ack = run_change(
        incident_id,
        user,
        lambda incident: evidence.attach_evidence(incident, user, entry_id, image),
    )
    return jsonify(ack), 201


@bp.post("/alerts")
@login_required
def receive_alert() -> ResponseReturnValue:
    """Monitoring's webhook: declares, or appends to the open incident with the alert key."""
    alert = alerts.parse_alert(_json_body())
    incident, declared = alerts.receive_alert(current_user._get_current_object(), alert)
    db.session.refresh(incident)
    return jsonify(incident=incident_dict(incident), declared=declared), 201 if declared else 200
