"""Paging over HTTP: escalation policies (everyone reads them, team admins make them), and
the one-time ack link an e-mailed page carries (no login: the link's secret is the
authority, it works once and only while the page waits)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..clock import now
from ..errors import DomainError, invalid
from ..extensions import csrf, db
from ..models import Incident, Page, Team, User
from ..services.catalog.services import all_services
from ..services.catalog.teams import all_teams, teams_administered_by
from ..services.insights.tables import Table, as_csv
from ..services.oncall.schedules import all_schedules
from ..services.paging import health, pages, policies
from ..services.paging.policy import ACK_MINUTES_DEFAULT, ACK_MINUTES_OTHER, MAX_STEPS

bp = Blueprint("paging", __name__)
STEP_ROWS = 4  # blank rows on the form; a policy may have up to MAX_STEPS


def _me() -> User:
    return current_user._get_current_object()


def _number(form: Mapping[str, str], field: str) -> int:
    raw = form.get(field, "").strip()[:6]
    if not raw.isdigit():
        raise invalid(field, "Give a whole number of minutes.")
    return int(raw)


def _step(form: Mapping[str, str], index: int) -> policies.StepDraft | None:
    """Row `index` of the form: its label and target ("schedule:<id>" or "user:<id>")."""
    label = form.get(f"steps-{index}-label", "").strip()
    target = form.get(f"steps-{index}-target", "")
    if not label and not target:
        return None
    kind, _, raw_id = target.partition(":")
    if kind not in ("schedule", "user") or not raw_id.isdigit() or len(raw_id) > 10:
        raise invalid(f"steps.{index}", f"Step {index + 1}: choose a schedule or a person.")
    return policies.StepDraft(
        label=label,
        schedule_id=int(raw_id) if kind == "schedule" else None,
        user_id=int(raw_id) if kind == "user" else None,
        is_manager=form.get(f"steps-{index}-manager") == "on",
    )


def _draft(form: Mapping[str, str]) -> policies.PolicyDraft:
    raw_team = form.get("team_id", "")[:12]
    steps = [_step(form, index) for index in range(MAX_STEPS)]
    return policies.PolicyDraft(
        team_id=int(raw_team) if raw_team.isdigit() else 0,
        name=form.get("name", ""),
        steps=tuple(step for step in steps if step is not None),
        ack_minutes_sev1=_number(form, "ack_minutes_sev1"),
        ack_minutes_sev2=_number(form, "ack_minutes_sev2"),
        ack_minutes_other=_number(form, "ack_minutes_other"),
    )


def _policies_page(status: int = 200) -> ResponseReturnValue:
    return render_template(
        "paging/policies.html",
        policies=[(p, policies.services_using(p)) for p in policies.all_policies()],
        admin_teams=teams_administered_by(_me()),
        schedules=all_schedules(),
        people=list(db.session.scalars(db.select(User).order_by(User.display_name))),
        services=all_services(),
        step_rows=STEP_ROWS,
        defaults={**ACK_MINUTES_DEFAULT, "other": ACK_MINUTES_OTHER},
        form=request.form,
    ), status


@bp.get("/oncall/policies")
@login_required
def policy_list() -> ResponseReturnValue:
    return _policies_page()


def _policy_change(change: Callable[[], str]) -> ResponseReturnValue:
    """Run a team admin's change; a refusal shows the page again with its message."""
    try:
        done = change()
    except DomainError as error:
        flash(error.message, "error")
        return _policies_page(status=error.http_status)
    flash(done, "info")
    return redirect(url_for("paging.policy_list"))


@bp.post("/oncall/policies")
@login_required
def policy_create() -> ResponseReturnValue:
    def create() -> str:
        policy = policies.create_policy(_me(), _draft(request.form))
        return f"Escalation policy {policy.name} saved: choose the services it pages for."

    return _policy_change(create)


@bp.post("/oncall/policies/<int:policy_id>/services")
@login_required
def policy_service(policy_id: int) -> ResponseReturnValue:
    def use() -> str:
        service = policies.use_policy(_me(), policy_id, request.form.get("service", "")[:100])
        return f"Alerts for {service.name} now page through this policy."

    return _policy_change(use)


@bp.get("/pages/ack/<ack_token>")
def ack_link(ack_token: str) -> ResponseReturnValue:
    """Shows what the page is about and asks for the click: a GET never acknowledges (mail
    scanners open links)."""
    notice = pages.notice_for_token(ack_token)
    if notice is None:
        return render_template("paging/ack.html", over=True), 404
    page = db.session.get(Page, notice.page_id)
    incident = db.session.get(Incident, page.incident_id)
    return render_template("paging/ack.html", page=page, incident=incident, person=notice.user)


@bp.post("/pages/ack/<ack_token>")
@csrf.exempt
def ack_by_link(ack_token: str) -> ResponseReturnValue:
    try:
        incident_id, page = pages.acknowledge_by_link(ack_token)
    except DomainError:
        return render_template("paging/ack.html", over=True), 404
    room = url_for("pages.incident_room", incident_id=incident_id)
    return render_template("paging/ack.html", acked=page, room=room)


def _health_of(kind: str, subject_id: int) -> tuple[str, health.Health]:
    """The team's or the person's twelve weeks; 404 for one that does not exist."""
    if kind == "teams":
        team = db.session.get(Team, subject_id)
        if team is None:
            abort(404)
        return f"Team {team.name}", health.team_health(team, now())
    person = db.session.get(User, subject_id)
    if person is None:
        abort(404)
    return person.display_name, health.person_health(person, now())


@bp.get("/oncall/health")
@login_required
def health_index() -> ResponseReturnValue:
    people = list(db.session.scalars(db.select(User).order_by(User.display_name)))
    return render_template("paging/health_index.html", teams=all_teams(), people=people)


@bp.get("/oncall/health/<any(teams, people):kind>/<int:subject_id>")
@login_required
def health_page(kind: str, subject_id: int) -> ResponseReturnValue:
    name, figures = _health_of(kind, subject_id)
    columns, rows = health.health_rows(figures)
    return render_template(
        "paging/health.html",
        name=name,
        kind=kind,
        subject_id=subject_id,
        health=figures,
        labels=health.LABELS,
        columns=columns,
        rows=rows,
    )


@bp.get("/oncall/health/<any(teams, people):kind>/<int:subject_id>.csv")
@login_required
def health_csv(kind: str, subject_id: int) -> ResponseReturnValue:
    name, figures = _health_of(kind, subject_id)
    columns, rows = health.health_rows(figures)
    body = as_csv(Table("oncall-health", f"On-call health: {name}", columns, rows))
    filename = f"oncall-health-{kind}-{subject_id}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
