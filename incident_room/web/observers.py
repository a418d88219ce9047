"""Observer links: the IC's page to make, list and revoke them, and the page an observer
opens - with no account - that shows the incident read-only and live."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..errors import DomainError
from ..extensions import db
from ..models import Incident
from ..services.observers import links as observer_links
from ..services.observers import projection
from ..services.roles import is_commander
from ..unit_of_work import run_change
from ..validation import optional_uuid
from .guards import incident_or_404

bp = Blueprint("observers", __name__)

# The token is in the URL: keep it out of Referer headers, caches and search engines.
PRIVATE_PAGE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}


def _render_links(
    incident: Incident, status: int = 200, new_link_id: str | None = None
) -> ResponseReturnValue:
    """The links `current_user` may list, never with their addresses; a link just made has
    its address shown this once, to its maker."""
    links = observer_links.links_of(incident, current_user)
    new_url = None
    if new_link_id is not None:
        token = observer_links.link_token(new_link_id)
        new_url = url_for("observers.observe", token=token, _external=True)
    page = render_template(
        "observer/links.html",
        incident=incident,
        links=[(link, observer_links.link_dict(link)) for link in links],
        new_url=new_url,
        counts=observer_links.observer_counts(incident),
        expiry_choices=observer_links.EXPIRY_CHOICES,
        is_commander=is_commander(incident, current_user),
        op_id=str(uuid.uuid4()),
    )
    return Response(page, status, headers=PRIVATE_PAGE_HEADERS)


@bp.get("/incidents/<int:incident_id>/observers")
@login_required
def links(incident_id: int) -> ResponseReturnValue:
    return _render_links(incident_or_404(incident_id))


def _change(incident: Incident, change) -> dict:
    user = current_user._get_current_object()
    op_id = optional_uuid(request.form, "op_id")
    return run_change(incident.id, user, lambda inc: change(inc, user), op_id=op_id)


@bp.post("/incidents/<int:incident_id>/observers")
@login_required
def create(incident_id: int) -> ResponseReturnValue:
    """Answered with the page itself, not a redirect: the new address is shown this once."""
    incident = incident_or_404(incident_id)
    expires_in = request.form.get("expires_in", "")
    confirm = request.form.get("confirm_private") == "on"
    try:
        ack = _change(
            incident, lambda inc, user: observer_links.create_link(inc, user, expires_in, confirm)
        )
    except DomainError as error:
        flash(error.message, "error")
        return _render_links(incident, error.http_status)
    flash(
        "Observer link created. Copy it now and share it only with the people it is for: "
        "it is not shown again.",
        "info",
    )
    return _render_links(incident, 201, ack["link"]["id"])


@bp.post("/incidents/<int:incident_id>/observers/<link_id>/revoke")
@login_required
def revoke(incident_id: int, link_id: str) -> ResponseReturnValue:
    incident = incident_or_404(incident_id)
    try:
        _change(incident, lambda inc, user: observer_links.revoke_link(inc, user, link_id))
    except DomainError as error:
        flash(error.message, "error")
        return _render_links(incident, error.http_status)
    flash("Link revoked: its observers were disconnected.", "info")
    return redirect(url_for("observers.links", incident_id=incident_id))


@bp.get("/observe/<token>")
def observe(token: str) -> ResponseReturnValue:
    """No login: the token is the permission. Forged → 403, revoked or expired → 410."""
    try:
        link = observer_links.link_for_token(token)
    except DomainError as error:
        page = render_template("observer/refused.html", message=error.message)
        return Response(page, error.http_status, headers=PRIVATE_PAGE_HEADERS)
    view = projection.observer_view(db.session.get(Incident, link.incident_id))
    page = render_template("observer/view.html", token=token, view=view)
    return Response(page, headers=PRIVATE_PAGE_HEADERS)
