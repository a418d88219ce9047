"""Stakeholder updates: the draft page and its JSON twin, and posting the edited draft.

Anyone who sees the incident may read a draft; only the Incident Commander and the
Communications Lead post it (the service refuses everyone else).
"""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..errors import DomainError
from ..models import Incident
from ..policy import AUDIENCE_LABELS
from ..services.access import visible_incident
from ..services.roles import may_communicate
from ..services.updates.drafts import draft_update, says_something_new
from ..services.updates.posting import post_update
from ..unit_of_work import run_change
from ..validation import require_choice, require_text, require_uuid
from .api import bp as api
from .guards import incident_or_404

bp = Blueprint("updates", __name__)


def _render(incident: Incident, audience: str, text: str, status: int = 200):
    """The draft form; when the update would say nothing new, a box to post it anyway."""
    page = render_template(
        "updates/new.html",
        incident=incident,
        audience=audience,
        audiences=AUDIENCE_LABELS,
        text=text,
        op_id=str(uuid.uuid4()),
        can_post=may_communicate(incident, current_user),
        nothing_new=not says_something_new(incident, audience),
    )
    return page, status


@bp.get("/incidents/<int:incident_id>/updates/new")
@login_required
def new_update(incident_id: int) -> ResponseReturnValue:
    incident = incident_or_404(incident_id)
    audience = request.args.get("audience", "stakeholders")
    if audience not in AUDIENCE_LABELS:
        audience = "stakeholders"
    return _render(incident, audience, draft_update(incident, audience)["text"])


@bp.post("/incidents/<int:incident_id>/updates")
@login_required
def post(incident_id: int) -> ResponseReturnValue:
    incident = incident_or_404(incident_id)
    form = {**request.form, "text": request.form.get("text", "").replace("\r\n", "\n")}
    audience = form.get("audience", "stakeholders")
    user = current_user._get_current_object()
    try:
        audience = require_choice(form, "audience", tuple(AUDIENCE_LABELS))
        text = require_text(form, "text", current_app.config["MAX_TEXT_LENGTH"])
        op_id = require_uuid(form, "op_id")
        confirmed = form.get("confirm_nothing_new") == "1"
        run_change(
            incident.id,
            user,
            lambda inc: post_update(inc, user, audience, text, confirmed),
            op_id=op_id,
        )
    except DomainError as error:
        flash(error.message, "error")
        safe_audience = audience if audience in AUDIENCE_LABELS else "stakeholders"
        return _render(incident, safe_audience, form.get("text", ""), error.http_status)
    flash(f"{AUDIENCE_LABELS[audience]} update posted; its countdown restarted.", "info")
    return redirect(url_for("pages.incident_room", incident_id=incident.id))


@api.get("/incidents/<int:incident_id>/update-draft")
@login_required
def draft(incident_id: int) -> ResponseReturnValue:
    incident = visible_incident(current_user, incident_id)
    audience = request.args.get("audience", "stakeholders")
    body = draft_update(incident, audience)
    return jsonify({**body, "can_post": may_communicate(incident, current_user)})
