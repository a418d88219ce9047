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


def _render_links(incident: Incident, status: int = 200) -> ResponseReturnValue:
    links = observer_links.links_of(incident)
    page = render_template(
        "observer/links.html",
        incident=incident,
        links=[(link, observer_links.link_dict(link)) for link in links],
        urls={
            link.id: url_for(
                "observers.observe", token=observer_links.link_token(link), _external=True
            )
            for link in links
        },
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


def _change(incident: Incident, change, success: str) -> ResponseReturnValue:
    incident_id = incident.id
    user = current_user._get_current_object()
    try:
        op_id = optional_uuid(request.form, "op_id")
        run_change(incident_id, user, lambda inc: change(inc, user), op_id=op_id)
    except DomainError as error:
        flash(error.message, "error")
        return _render_links(incident, error.http_status)
    flash(success, "info")
    return redirect(url_for("observers.links", incident_id=incident_id))


@bp.post("/incidents/<int:incident_id>/observers")
@login_required
def create(incident_id: int) -> ResponseReturnValue:
    expires_in = request.form.get("expires_in", "")
    confirm = request.form.get("confirm_private") == "on"
    return _change(
        incident_or_404(incident_id),
        lambda inc, user: observer_links.create_link(inc, user, expires_in, confirm),
        "Observer link created. Share it only with the people it is for.",
    )


@bp.post("/incidents/<int:incident_id>/observers/<link_id>/revoke")
@login_required
def revoke(incident_id: int, link_id: str) -> ResponseReturnValue:
    return _change(
        incident_or_404(incident_id),
        lambda inc, user: observer_links.revoke_link(inc, user, link_id),
        "Link revoked: its observers were disconnected.",
    )


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
