"""Team settings: the two plain-text templates updates are drafted from."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..errors import DomainError
from ..policy import AUDIENCE_LABELS
from ..services.updates.templates import (
    DEFAULT_TEMPLATES,
    PLACEHOLDERS,
    save_template,
    template_for,
)
from .guards import admin_required

bp = Blueprint("update_templates", __name__, url_prefix="/settings")


def _render(edited: dict[str, str] | None = None, status: int = 200) -> ResponseReturnValue:
    bodies = {audience: template_for(audience) for audience in AUDIENCE_LABELS}
    page = render_template(
        "settings/update_templates.html",
        audiences=AUDIENCE_LABELS,
        bodies={**bodies, **(edited or {})},
        defaults=DEFAULT_TEMPLATES,
        placeholders=PLACEHOLDERS,
    )
    return page, status


@bp.get("/update-templates")
@admin_required
def edit() -> ResponseReturnValue:
    return _render()


@bp.post("/update-templates/<audience>")
@admin_required
def save(audience: str) -> ResponseReturnValue:
    body = request.form.get("body", "") if request.form.get("action") != "reset" else ""
    try:
        save_template(audience, body, current_user._get_current_object())
    except DomainError as error:
        flash(error.message, "error")
        return _render({audience: body} if audience in AUDIENCE_LABELS else None, 400)
    flash(f"{AUDIENCE_LABELS[audience]} template saved.", "info")
    return redirect(url_for("update_templates.edit"))
