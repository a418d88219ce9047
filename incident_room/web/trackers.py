"""Issue trackers: the admins' settings page, and the trackers' signed webhooks."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..errors import DomainError
from ..extensions import csrf
from ..models import IssueTracker, Team
from ..services.catalog.teams import all_teams
from ..services.links import public_url
from ..services.trackers.config import (
    KIND_LABELS,
    TrackerSettings,
    all_trackers,
    configure_tracker,
    remove_tracker,
)
from ..services.trackers.sync import TrackerHook, receive_ticket_change
from .filters import row_by_id
from .guards import admin_required

bp = Blueprint("trackers", __name__)
MAX_HOOK_BYTES = 1024 * 1024
HOOK_HEADERS = ("X-GitHub-Event", "X-Hub-Signature-256", "X-Hub-Signature")


def hook_url(tracker: IssueTracker) -> str:
    """Where the tracker sends its webhooks (shown to admins to paste into the tracker)."""
    return public_url(url_for("trackers.hook", tracker_id=tracker.id))


def _render(new: IssueTracker | None = None, secret: str | None = None, status: int = 200):
    page = render_template(
        "settings/trackers.html",
        trackers=all_trackers(),
        teams=all_teams(),
        kinds=KIND_LABELS,
        new=new,
        new_secret=secret,
        hook_url=hook_url,
        form=request.form,
    )
    return page, status


@bp.get("/settings/trackers")
@admin_required
def tracker_list() -> ResponseReturnValue:
    return _render()


def _team() -> Team | None:
    return row_by_id(request.form.get("team", ""), "team", Team, "team")


@bp.post("/settings/trackers")
@admin_required
def tracker_save() -> ResponseReturnValue:
    try:
        settings = TrackerSettings(
            team=_team(),
            kind=request.form.get("kind", ""),
            api_url=request.form.get("api_url", "")[:500],
            project=request.form.get("project", "")[:200],
            token=request.form.get("token", "")[:1000],
        )
        tracker, secret = configure_tracker(current_user._get_current_object(), settings)
    except DomainError as error:
        flash(error.message, "error")
        return _render(status=400)
    flash("Tracker saved. Copy its webhook secret now: it is not shown again.", "info")
    return _render(tracker, secret, 201)


@bp.post("/settings/trackers/<int:tracker_id>/delete")
@admin_required
def tracker_delete(tracker_id: int) -> ResponseReturnValue:
    try:
        remove_tracker(current_user._get_current_object(), tracker_id)
    except DomainError as error:
        flash(error.message, "error")
    return redirect(url_for("trackers.tracker_list"))


@bp.post("/hooks/trackers/<int:tracker_id>")
@csrf.exempt
def hook(tracker_id: int) -> ResponseReturnValue:
    """A tracker's webhook: signed with the tracker's secret, or refused (401)."""
    try:
        if (request.content_length or 0) > MAX_HOOK_BYTES:
            raise DomainError("too_large", "The body is too large.")
        headers = {name: request.headers[name] for name in HOOK_HEADERS if name in request.headers}
        raw = request.get_data(cache=False)[: MAX_HOOK_BYTES + 1]
        moved = receive_ticket_change(TrackerHook(tracker_id, headers, raw))
    except DomainError as error:
        return {"error": error.to_dict()}, error.http_status
    return {"ok": True, "moved": moved}
