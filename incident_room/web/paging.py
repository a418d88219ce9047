"""Paging over HTTP: the one-time ack link an e-mailed page carries (no login: the link's
secret is the authority, it works once and only while the page waits)."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue

from ..errors import DomainError
from ..extensions import csrf, db
from ..models import Incident, Page
from ..services.paging import pages

bp = Blueprint("paging", __name__)


@bp.get("/pages/ack/<token>")
def ack_link(token: str) -> ResponseReturnValue:
    """Shows what the page is about and asks for the click: a GET never acknowledges (mail
    scanners open links)."""
    notice = pages.notice_for_token(token)
    if notice is None:
        return render_template("paging/ack.html", over=True), 404
    page = db.session.get(Page, notice.page_id)
    incident = db.session.get(Incident, page.incident_id)
    return render_template("paging/ack.html", page=page, incident=incident, person=notice.user)


@bp.post("/pages/ack/<token>")
@csrf.exempt
def ack_by_link(token: str) -> ResponseReturnValue:
    try:
        incident_id, page = pages.acknowledge_by_link(token)
    except DomainError:
        return render_template("paging/ack.html", over=True), 404
    room = url_for("pages.incident_room", incident_id=incident_id)
    return render_template("paging/ack.html", acked=page, room=room)
