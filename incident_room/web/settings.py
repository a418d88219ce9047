"""Team settings: outbound webhooks (their secrets are shown once, at creation)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..errors import DomainError
from ..extensions import db
from ..models import WebhookEndpoint
from ..policy import SEVERITIES
from ..services import webhooks
from .guards import admin_required

bp = Blueprint("settings", __name__, url_prefix="/settings")


def _render(new_secret: str | None = None, status: int = 200) -> ResponseReturnValue:
    endpoints = db.session.scalars(db.select(WebhookEndpoint).order_by(WebhookEndpoint.id))
    page = render_template(
        "settings/webhooks.html",
        endpoints=list(endpoints),
        deliveries=webhooks.recent_deliveries(),
        severities=SEVERITIES,
        new_secret=new_secret,
        form=request.form,
    )
    return page, status


@bp.get("/webhooks")
@admin_required
def webhook_list() -> ResponseReturnValue:
    return _render()


@bp.post("/webhooks")
@admin_required
def webhook_create() -> ResponseReturnValue:
    try:
        _, secret = webhooks.create_endpoint(
            current_user._get_current_object(),
            request.form.get("name", ""),
            request.form.get("url", ""),
            request.form.getlist("severities"),
            _body_format(request.form),
        )
    except DomainError as error:
        flash(error.message, "error")
        return _render(status=400)
    flash("Webhook added. Copy its signing secret now: it is not shown again.", "info")
    return _render(new_secret=secret, status=201)


@bp.post("/webhooks/<int:endpoint_id>/delete")
@admin_required
def webhook_delete(endpoint_id: int) -> ResponseReturnValue:
    try:
        webhooks.remove_endpoint(current_user._get_current_object(), endpoint_id)
    except DomainError as error:
        flash(error.message, "error")
    return redirect(url_for("settings.webhook_list"))


def _body_format(form: Mapping[str, str]) -> str:
    """The form's body choice (its radio buttons); the service refuses anything else."""
    return form.get("body_format", "json")[:10]
