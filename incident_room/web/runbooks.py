"""Runbook pages: the list (stale ones flagged), one runbook rendered, the editor with its
live preview, the history of versions and the diff between two; the preview's JSON read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..clock import now
from ..errors import DomainError
from ..exports.formatting import format_duration
from ..extensions import csrf
from ..models import Runbook, RunbookVersion, User
from ..services.catalog.services import all_services
from ..services.runbooks import authoring, overview
from ..services.runbooks.authoring import RunbookDraft
from ..services.runbooks.markdown import render
from ..services.runbooks.policy import (
    MAX_BODY_CHARS,
    RUNBOOK_SHARE_HEALTHY,
    RUNBOOK_SHARE_UNHEALTHY,
    SECTIONS,
)
from ..services.runbooks.search import search
from .limits import api_limit

bp = Blueprint("runbooks", __name__)
api_bp = Blueprint("runbooks_api", __name__, url_prefix="/api/runbooks")
# The preview changes nothing and answers only the sender: no CSRF token needed.
csrf.exempt(api_bp)
api_limit(api_bp)

MAX_QUERY_CHARS = 200
# What a new runbook starts from: the six headings, ready to fill in.
SKELETON = "\n\n".join(
    f"## {number} {label}\n" for number, (_key, label) in enumerate(SECTIONS, start=1)
)


def _me() -> User:
    return current_user._get_current_object()


def runbook_or_404(runbook_id: int) -> Runbook:
    try:
        return authoring.require_runbook(runbook_id)
    except DomainError:
        abort(404)


def _draft_from_form() -> RunbookDraft:
    form = request.form
    return RunbookDraft(
        service=form.get("service", ""),
        alert_key=form.get("alert_key", ""),
        owner=form.get("owner", ""),
        body=form.get("body", ""),
    )


def _editor(runbook: Runbook | None, draft: RunbookDraft, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "runbooks/edit.html",
        runbook=runbook,
        draft=draft,
        services=all_services(),
        preview_html=render(draft.body[:MAX_BODY_CHARS]),
        max_body=MAX_BODY_CHARS,
    ), status


def _save(runbook: Runbook | None) -> ResponseReturnValue:
    draft = _draft_from_form()
    try:
        saved, warnings = authoring.save_runbook(
            _me(), draft, runbook.id if runbook is not None else None
        )
    except DomainError as error:
        flash(error.message, "error")
        return _editor(runbook, draft, status=error.http_status)
    flash(f"Saved version {saved.version}.", "info")
    for warning in warnings:
        flash(warning, "warning")
    return redirect(url_for("runbooks.view", runbook_id=saved.id))


@bp.get("/runbooks")
@login_required
def index() -> ResponseReturnValue:
    stale = authoring.stale_runbooks(now())
    return render_template(
        "runbooks/index.html",
        runbooks=authoring.all_runbooks(),
        stale=stale,
        stale_ids={runbook.id for runbook, _reason in stale},
        stale_days=authoring.stale_after().days,
    )


@bp.get("/runbooks/search")
@login_required
def search_page() -> ResponseReturnValue:
    """Have we seen this before? Runbooks and past incidents holding every word."""
    query = request.args.get("q", "")[:MAX_QUERY_CHARS]
    hits = search(_me(), query) if query.strip() else []
    return render_template("runbooks/search.html", query=query, hits=hits)


@bp.get("/runbooks/overview")
@login_required
def overview_page() -> ResponseReturnValue:
    """The share of alerts that came with a runbook, and how each runbook was used."""
    me = _me()
    return render_template(
        "runbooks/overview.html",
        share=overview.alert_share(me),
        uses=overview.runbook_uses(me),
        duration=lambda span: format_duration(int(span.total_seconds()) if span else None),
        healthy=RUNBOOK_SHARE_HEALTHY,
        unhealthy=RUNBOOK_SHARE_UNHEALTHY,
    )


@bp.get("/runbooks/new")
@login_required
def new() -> ResponseReturnValue:
    service = request.args.get("service", "")[:100]
    return _editor(None, RunbookDraft(service, "", "", SKELETON))


@bp.post("/runbooks")
@login_required
def create() -> ResponseReturnValue:
    return _save(None)


@bp.get("/runbooks/<int:runbook_id>")
@login_required
def view(runbook_id: int) -> ResponseReturnValue:
    runbook = runbook_or_404(runbook_id)
    return render_template(
        "runbooks/view.html",
        runbook=runbook,
        html=render(runbook.body),
        stale=authoring.stale_reason(runbook, now()),
    )


@bp.get("/runbooks/<int:runbook_id>/edit")
@login_required
def edit(runbook_id: int) -> ResponseReturnValue:
    runbook = runbook_or_404(runbook_id)
    draft = RunbookDraft(runbook.service.name, runbook.alert_key, runbook.owner, runbook.body)
    return _editor(runbook, draft)


@bp.post("/runbooks/<int:runbook_id>")
@login_required
def save(runbook_id: int) -> ResponseReturnValue:
    return _save(runbook_or_404(runbook_id))


def _version_arg(runbook: Runbook, name: str, default: int) -> RunbookVersion:
    """The version the query argument `name` names (`default` when absent), or not_found."""
    raw = request.args.get(name, "")[:9]
    return authoring.version_of(runbook, int(raw) if raw.isdigit() else default, name)


@bp.get("/runbooks/<int:runbook_id>/history")
@login_required
def history(runbook_id: int) -> ResponseReturnValue:
    runbook = runbook_or_404(runbook_id)
    try:
        newer = _version_arg(runbook, "to", runbook.version)
        older = _version_arg(runbook, "from", max(newer.number - 1, 1))
    except DomainError as error:
        return render_template("error.html", message=error.message), error.http_status
    return render_template(
        "runbooks/history.html",
        runbook=runbook,
        versions=authoring.versions_of(runbook),
        older=older,
        newer=newer,
        diff=authoring.diff_lines(older, newer),
    )


@api_bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> ResponseReturnValue:
    return jsonify(error=error.to_dict()), error.http_status


@api_bp.post("/preview")
@login_required
def preview() -> ResponseReturnValue:
    """{"body": Markdown} -> {"html", "warnings", "problem"}: sanitised here, shown as is."""
    payload = request.get_json(silent=True)
    body = payload.get("body") if isinstance(payload, dict) else None
    if isinstance(body, str) and len(body) > MAX_BODY_CHARS * 2:
        raise DomainError("too_large", "That is far too long for a runbook.", field="body")
    return jsonify(authoring.preview(body))
