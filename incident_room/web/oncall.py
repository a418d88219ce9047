"""On-call pages: who is on call now and next, each schedule's next weeks, its edit forms
(team admins only), each person's private calendar feed, and a JSON read of who is on call."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..clock import now
from ..errors import DomainError, invalid, not_found
from ..extensions import csrf, db
from ..models import OnCallSchedule, Service, User
from ..policy import ONCALL_TIMELINE_WEEKS
from ..services.access import is_team_admin, require_team_admin
from ..services.catalog.services import all_services, require_service
from ..services.catalog.teams import teams_administered_by
from ..services.oncall import feed, schedules
from ..services.oncall.drafts import WEEKDAYS, layers_from, override_from, zone_names
from ..services.oncall.rotation import OnCall, Schedule, segments
from ..services.oncall.timeline import timeline, utc_text
from .limits import api_limit

bp = Blueprint("oncall", __name__)
api_bp = Blueprint("oncall_api", __name__, url_prefix="/api/oncall")
csrf.exempt(api_bp)
api_limit(api_bp)

AHEAD = timedelta(weeks=ONCALL_TIMELINE_WEEKS)


def _me() -> User:
    return current_user._get_current_object()


def _refused(error: DomainError) -> ResponseReturnValue:
    return render_template("error.html", message=error.message), error.http_status


def _who(answer: OnCall | None, names: dict[int, str]) -> str:
    return names.get(answer.user_id, "someone") if answer else "Nobody"


def _summary(schedule: OnCallSchedule, at: datetime) -> dict[str, Any]:
    spec = schedules.spec_of(schedule)
    names = schedules.names_of(spec)
    upcoming = schedules.now_and_next(spec, at, AHEAD)
    return {
        "schedule": schedule,
        "now": _who(upcoming.now, names),
        "next": _who(upcoming.next, names) if upcoming.next else None,
        "next_from": upcoming.next_from,
        "services": schedules.services_of(schedule),
    }


def _service_on_call(service: Service, at: datetime) -> str | None:
    """Who is on call for `service` now (None: it names no schedule)."""
    if service.schedule_id is None:
        return None
    answer = schedules.on_call_for_service(service, at)
    return schedules.names_of_ids([answer.user_id]).get(answer.user_id) if answer else "Nobody"


def _index(new_feed_url: str | None = None, status: int = 200) -> ResponseReturnValue:
    at = now()
    me = _me()
    return render_template(
        "oncall/index.html",
        summaries=[_summary(schedule, at) for schedule in schedules.all_schedules()],
        services=[(service, _service_on_call(service, at)) for service in all_services()],
        admin_teams=teams_administered_by(me),
        has_feed=feed.has_feed(me),
        new_feed_url=new_feed_url,
        utc_text=utc_text,
        form=request.form,
    ), status


@bp.get("/oncall")
@login_required
def index() -> ResponseReturnValue:
    return _index()


@bp.post("/oncall/schedules")
@login_required
def create() -> ResponseReturnValue:
    raw_team = request.form.get("team_id", "")[:12]
    try:
        schedule = schedules.create_schedule(
            _me(), int(raw_team) if raw_team.isdigit() else None, request.form.get("name", "")
        )
    except DomainError as error:
        if error.code == "forbidden":
            return _refused(error)
        flash(error.message, "error")
        return _index(status=400)
    flash(f"Schedule {schedule.name} created: add its first layer.", "info")
    return redirect(url_for("oncall.schedule_page", schedule_id=schedule.id))


def _layer_rows_from_db(schedule: OnCallSchedule) -> list[dict[str, str]]:
    rows = []
    for layer in schedule.layers:
        rows.append(
            {
                "name": layer.name,
                "zone": layer.zone,
                "weekday": str(layer.handoff_weekday),
                "time": f"{layer.handoff_minute // 60:02d}:{layer.handoff_minute % 60:02d}",
                "starts_on": layer.starts_on.isoformat(),
                "people": "\n".join(person.user.username for person in layer.people),
                "region": "on" if layer.region_start_minute is not None else "",
                "region_start": _hhmm(layer.region_start_minute, "09:00"),
                "region_end": _hhmm(layer.region_end_minute, "17:00"),
            }
        )
    return rows


def _hhmm(minutes: int | None, default: str) -> str:
    return default if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def _layer_rows_from_form() -> list[dict[str, str]]:
    raw = request.form.get("layer_count", "0")
    count = min(int(raw), 11) if raw.isdigit() else 0
    keys = ("name", "zone", "weekday", "time", "starts_on", "people", "region")
    keys += ("region_start", "region_end", "remove")
    return [
        {key: request.form.get(f"layers-{index}-{key}", "")[:2000] for key in keys}
        for index in range(count)
    ]


def _blank_layer(count: int) -> dict[str, str]:
    return {
        "name": f"Layer {count + 1}",
        "zone": "UTC",
        "weekday": "0",
        "time": "09:00",
        "starts_on": now().date().isoformat(),
        "people": "",
        "region": "",
        "region_start": "09:00",
        "region_end": "17:00",
    }


def _schedule_page(
    schedule: OnCallSchedule,
    *,
    layer_rows: list[dict[str, str]] | None = None,
    warnings: list | None = None,
    proposed: Schedule | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    at = now()
    spec = schedules.spec_of(schedule)
    names = schedules.names_of(spec)
    start = at.replace(minute=0, second=0, microsecond=0)
    drawn = proposed or spec
    if proposed is not None:
        names |= schedules.names_of(proposed)
    rows = layer_rows if layer_rows is not None else _layer_rows_from_db(schedule)
    if not any(not row.get("people", "").strip() for row in rows):
        rows = [*rows, _blank_layer(len(rows))]
    editable = is_team_admin(_me(), schedule.team_id)
    shifts = segments(drawn, start, start + AHEAD)
    return render_template(
        "oncall/schedule.html",
        schedule=schedule,
        summary=_summary(schedule, at),
        picture=timeline(drawn, names, start, ONCALL_TIMELINE_WEEKS, at),
        proposed=proposed is not None,
        shifts=shifts,
        names=names,
        layer_rows=rows,
        warnings=warnings or [],
        editable=editable,
        weekdays=WEEKDAYS,
        zones=zone_names(),
        services=[s for s in all_services() if s.schedule_id != schedule.id],
        utc_text=utc_text,
        form=request.form,
    ), status


def _schedule_or_404(schedule_id: int) -> OnCallSchedule:
    try:
        return schedules.require_schedule(schedule_id)
    except DomainError:
        abort(404)


@bp.get("/oncall/schedules/<int:schedule_id>")
@login_required
def schedule_page(schedule_id: int) -> ResponseReturnValue:
    return _schedule_page(_schedule_or_404(schedule_id))


@bp.post("/oncall/schedules/<int:schedule_id>")
@login_required
def save(schedule_id: int) -> ResponseReturnValue:
    """Save the layers; when the playbook is broken, show why and ask to confirm first."""
    schedule = _schedule_or_404(schedule_id)
    rows = _layer_rows_from_form()
    try:
        drafts = layers_from(request.form)
        outcome = schedules.save_layers(
            _me(), schedule.id, drafts, bool(request.form.get("confirm")), now()
        )
    except DomainError as error:
        if error.code == "forbidden":
            return _refused(error)
        flash(error.message, "error")
        return _schedule_page(schedule, layer_rows=rows, status=400)
    if not outcome.saved:
        proposed, _ = schedules.propose_layers(schedule, drafts, now())
        return _schedule_page(
            schedule, layer_rows=rows, warnings=outcome.warnings, proposed=proposed
        )
    flash("Schedule saved.", "info")
    return redirect(url_for("oncall.schedule_page", schedule_id=schedule.id))


def _change(schedule_id: int, change, done: str) -> ResponseReturnValue:
    schedule = _schedule_or_404(schedule_id)
    try:
        change(schedule)
    except DomainError as error:
        if error.code == "forbidden":
            return _refused(error)
        flash(error.message, "error")
        return _schedule_page(schedule, status=error.http_status)
    flash(done, "info")
    return redirect(url_for("oncall.schedule_page", schedule_id=schedule.id))


@bp.post("/oncall/schedules/<int:schedule_id>/overrides")
@login_required
def override_add(schedule_id: int) -> ResponseReturnValue:
    def change(schedule: OnCallSchedule) -> None:
        require_team_admin(_me(), schedule.team_id)
        schedules.add_override(_me(), schedule.id, override_from(request.form))

    return _change(schedule_id, change, "Override added.")


@bp.post("/oncall/schedules/<int:schedule_id>/overrides/<int:override_id>/delete")
@login_required
def override_remove(schedule_id: int, override_id: int) -> ResponseReturnValue:
    return _change(
        schedule_id,
        lambda schedule: schedules.remove_override(_me(), schedule.id, override_id),
        "Override removed.",
    )


@bp.post("/oncall/schedules/<int:schedule_id>/services")
@login_required
def service_link(schedule_id: int) -> ResponseReturnValue:
    name = request.form.get("service", "")[:100]
    return _change(
        schedule_id,
        lambda schedule: schedules.link_service(_me(), schedule.id, name),
        f"{name} now pages this schedule's on-call.",
    )


@bp.post("/oncall/schedules/<int:schedule_id>/services/<int:service_id>/unlink")
@login_required
def service_unlink(schedule_id: int, service_id: int) -> ResponseReturnValue:
    return _change(
        schedule_id,
        lambda schedule: schedules.unlink_service(_me(), schedule.id, service_id),
        "Service unlinked.",
    )


@bp.post("/oncall/feed")
@login_required
def feed_new() -> ResponseReturnValue:
    secret = feed.new_feed_secret(_me())
    flash("Your new calendar link: copy it now, it is not shown again.", "info")
    return _index(new_feed_url=url_for("oncall.feed_ics", secret=secret, _external=True))


@bp.get("/oncall/feed/<secret>.ics")
def feed_ics(secret: str) -> ResponseReturnValue:
    """The person's shifts as text/calendar; no login (the secret is the key), 404 otherwise."""
    user = feed.user_for_feed(secret)
    if user is None or not user.is_active:
        abort(404)
    body = feed.calendar_for(user, now(), request.host.split(":")[0] or "incident-room")
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'inline; filename="on-call.ics"',
            "Cache-Control": "private, no-store",
            "Referrer-Policy": "no-referrer",
        },
    )


@api_bp.errorhandler(DomainError)
def api_error(error: DomainError) -> ResponseReturnValue:
    return jsonify(error=error.to_dict()), error.http_status


@api_bp.get("")
@login_required
def who_is_on_call() -> ResponseReturnValue:
    """GET /api/oncall?service=S[&at=ISO-8601]: who is on call for S at that instant."""
    service: Service = require_service(request.args.get("service", "")[:100])
    raw = request.args.get("at", "")[:40]
    try:
        at = datetime.fromisoformat(raw) if raw else now()
    except ValueError as error:
        raise invalid("at", "Give an instant as ISO 8601 with its offset.") from error
    if at.tzinfo is None:
        raise invalid("at", "Give an instant as ISO 8601 with its offset.")
    if service.schedule_id is None:
        raise not_found("schedule for this service")
    answer = schedules.on_call_for_service(service, at)
    user = db.session.get(User, answer.user_id) if answer else None
    return jsonify(
        service=service.name,
        at=at.isoformat(),
        schedule_id=service.schedule_id,
        on_call=user.to_public() if user else None,
        source=answer.source if answer else None,
    )
