"""The post-mortem page and its downloads: PDF, Markdown, and the JSON archive.

Same access as the room: anonymous visitors are sent to log in, and a private incident
does not exist (404) for anyone it does not admit.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, flash, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..clock import now
from ..errors import DomainError
from ..exports.archive import incident_archive
from ..exports.formatting import format_duration, format_field_value, format_stamp, format_time
from ..exports.markdown import render_markdown
from ..exports.outline import ANALYSIS, CLOSING, OPENING, role_label, status_label
from ..exports.pdf import print_job, render_pdf
from ..models import Incident, Team
from ..policy import ACTION_ITEM_MOVES, ACTION_ITEM_STATES, FIVE_WHYS, STATUS_LABELS
from ..services.catalog.teams import all_teams
from ..services.postmortem.action_review import action_review_state
from ..services.postmortem.draft import postmortem_document
from ..services.postmortem.meeting import meeting_invite
from ..services.postmortem.milestones import milestones_of
from ..services.postmortem.milestones import overdue_milestones as overdue_milestones_of
from ..services.postmortem.requirement import requirement_of, rules_in_words
from ..services.postmortem.review import reviews_of
from ..services.postmortem.workspace import current_postmortem, postmortem_overdue
from ..services.runbooks.record import runbook_record
from ..wire.people import user_ref
from .filters import row_id_arg
from .guards import incident_or_404

bp = Blueprint("postmortem", __name__)
log = logging.getLogger(__name__)
T = TypeVar("T")
bp.add_app_template_filter(format_duration, "duration")
bp.add_app_template_filter(format_time, "utc")
bp.add_app_template_filter(format_stamp, "stamp")
bp.add_app_template_filter(status_label, "status_label")
bp.add_app_template_filter(role_label, "role_label")
bp.add_app_template_filter(format_field_value, "field_value")


@bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> ResponseReturnValue:
    return render_template("error.html", message=error.message), error.http_status


def _download(body: str | bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _editor_config(incident: Incident) -> dict[str, Any]:
    """What the editing page's script needs before it connects: who is looking, where the
    sections go, and the download links."""
    return {
        "incident_id": incident.id,
        "me": user_ref(current_user),
        "groups": {
            "opening": OPENING,
            "five_whys": FIVE_WHYS,
            "analysis": ANALYSIS,
            "closing": CLOSING,
        },
        "status_labels": STATUS_LABELS,
        "action_item_states": ACTION_ITEM_STATES,
        "action_item_moves": ACTION_ITEM_MOVES,
        "links": {
            "room": url_for("pages.incident_room", incident_id=incident.id),
            "pdf": url_for("postmortem.pdf", incident_id=incident.id),
            "markdown": url_for("postmortem.markdown", incident_id=incident.id),
            "json": url_for("postmortem.archive", incident_id=incident.id),
            "meeting": url_for("postmortem.meeting", incident_id=incident.id),
        },
    }


@bp.get("/incidents/<int:incident_id>/postmortem")
@login_required
def editor(incident_id: int) -> ResponseReturnValue:
    incident = incident_or_404(incident_id)
    postmortem = current_postmortem(incident.id)
    return render_template(
        "postmortem/edit.html",
        incident=incident,
        postmortem=postmortem,
        reviews=reviews_of(postmortem) if postmortem else [],
        action_review=action_review_state(incident) if postmortem else None,
        overdue=postmortem_overdue(incident),
        requirement=requirement_of(incident),
        requirement_rules=rules_in_words(),
        milestones=milestones_of(incident.id),
        runbooks=runbook_record(incident),
        config=_editor_config(incident),
    )


def _made(make: Callable[[], T], what: str) -> T:
    """An export, or the documented `internal` error page when making it fails for any
    reason (the fault is logged with its traceback; the reader gets a plain sentence)."""
    try:
        return make()
    except DomainError:
        raise
    except Exception:
        log.exception("the %s export failed", what)
        raise DomainError(
            "internal", f"The {what} could not be made; nothing was changed. Try another export."
        ) from None


@bp.get("/incidents/<int:incident_id>/postmortem.pdf")
@login_required
def pdf(incident_id: int) -> ResponseReturnValue:
    incident = incident_or_404(incident_id)
    rendered = _made(lambda: render_pdf(print_job(postmortem_document(incident))), "PDF")
    name = f"{incident.reference}-postmortem.pdf"
    return _download(rendered, "application/pdf", name, inline=True)


@bp.get("/incidents/<int:incident_id>/postmortem.md")
@login_required
def markdown(incident_id: int) -> ResponseReturnValue:
    incident = incident_or_404(incident_id)
    body = _made(lambda: render_markdown(postmortem_document(incident)), "Markdown")
    return _download(body, "text/markdown", f"{incident.reference}-postmortem.md")


@bp.get("/incidents/<int:incident_id>/export.json")
@login_required
def archive(incident_id: int) -> ResponseReturnValue:
    incident = incident_or_404(incident_id)
    body = _made(
        lambda: json.dumps(incident_archive(incident), indent=2, ensure_ascii=False), "archive"
    )
    return _download(body, "application/json", f"{incident.reference}-export.json")


@bp.get("/incidents/<int:incident_id>/postmortem/meeting.ics")
@login_required
def meeting(incident_id: int) -> ResponseReturnValue:
    """The post-mortem meeting's invite, to add to a calendar."""
    incident = incident_or_404(incident_id)
    name = f"{incident.reference}-postmortem-meeting.ics"
    return _download(meeting_invite(incident), "text/calendar", name)


@bp.get("/postmortems/overdue")
@login_required
def overdue_milestones() -> ResponseReturnValue:
    """The team page: post-mortem milestones past due and not done (of one team, or all)."""
    status = 200
    try:
        team_id = row_id_arg("team", Team, "team")
    except DomainError as error:
        flash(error.message, "error")
        team_id, status = None, 400
    rows = overdue_milestones_of(current_user, team_id, now())
    return render_template(
        "postmortem/overdue.html", rows=rows, teams=all_teams(), team_id=team_id
    ), status
