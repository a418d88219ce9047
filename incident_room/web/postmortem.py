"""The post-mortem page and its downloads: PDF, Markdown, and the JSON archive.

Same access as the room: anonymous visitors are sent to log in, and a private incident
does not exist (404) for anyone it does not admit.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..errors import DomainError
from ..exports.archive import incident_archive
from ..exports.formatting import format_duration, format_field_value, format_stamp, format_time
from ..exports.markdown import render_markdown
from ..exports.outline import role_label, status_label
from ..exports.pdf import postmortem_html, render_pdf
from ..models import Incident
from ..services.access import visible_incident
from ..services.postmortem.draft import postmortem_document
from ..services.postmortem.workspace import current_postmortem

bp = Blueprint("postmortem", __name__)
bp.add_app_template_filter(format_duration, "duration")
bp.add_app_template_filter(format_time, "utc")
bp.add_app_template_filter(format_stamp, "stamp")
bp.add_app_template_filter(status_label, "status_label")
bp.add_app_template_filter(role_label, "role_label")
bp.add_app_template_filter(format_field_value, "field_value")


@bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> ResponseReturnValue:
    return render_template("error.html", message=error.message), error.http_status


def _incident(incident_id: int) -> Incident:
    try:
        return visible_incident(current_user, incident_id)
    except DomainError:
        abort(404)


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


@bp.get("/incidents/<int:incident_id>/postmortem")
@login_required
def editor(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    return render_template(
        "postmortem/edit.html",
        incident=incident,
        postmortem=current_postmortem(incident.id),
        doc=postmortem_document(incident),
    )


@bp.get("/incidents/<int:incident_id>/postmortem.pdf")
@login_required
def pdf(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    rendered = render_pdf(postmortem_html(postmortem_document(incident)))
    name = f"{incident.reference}-postmortem.pdf"
    return _download(rendered, "application/pdf", name, inline=True)


@bp.get("/incidents/<int:incident_id>/postmortem.md")
@login_required
def markdown(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    body = render_markdown(postmortem_document(incident))
    return _download(body, "text/markdown", f"{incident.reference}-postmortem.md")


@bp.get("/incidents/<int:incident_id>/export.json")
@login_required
def archive(incident_id: int) -> ResponseReturnValue:
    incident = _incident(incident_id)
    body = json.dumps(incident_archive(incident), indent=2, ensure_ascii=False)
    return _download(body, "application/json", f"{incident.reference}-export.json")
