"""Serving evidence images to the people who may see their incident, and nobody else."""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask.typing import ResponseReturnValue
from flask_login import login_required

from ..errors import DomainError
from ..services.evidence import evidence_bytes, find_evidence
from .guards import incident_or_404

bp = Blueprint("evidence", __name__)


@bp.get("/incidents/<int:incident_id>/evidence/<evidence_id>")
@login_required
def show_evidence(incident_id: int, evidence_id: str) -> ResponseReturnValue:
    incident = incident_or_404(incident_id)
    try:
        evidence = find_evidence(incident, evidence_id)
    except DomainError:
        abort(404)
    response = Response(evidence_bytes(evidence), mimetype=evidence.content_type)
    # Opened on its own, the image runs nothing (the other headers: web/headers.py).
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; sandbox; frame-ancestors 'none'"
    )
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    return response
