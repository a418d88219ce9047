"""The insights page across incidents, its charts' tables as CSV."""

from __future__ import annotations

from flask import Blueprint, Response, flash, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..clock import now
from ..errors import DomainError, not_found
from ..exports.formatting import format_duration
from ..models import Team
from ..services.access import visible_incidents
from ..services.catalog.teams import all_teams
from ..services.insights.charts import bar_chart, line_chart
from ..services.insights.figures import MEASURES, Period, period_from, report, scoped
from ..services.insights.spikes import spike_in
from ..services.insights.tables import as_csv, table_named, tables
from .filters import row_id_arg

bp = Blueprint("insights", __name__)
DAY = 86_400


def long_duration(seconds: float | None) -> str:
    """'3 min 20 s', '2 h 05 min 00 s'; from two days on '44 d 8 h' (nobody counts hours)."""
    if seconds is not None and seconds >= 2 * DAY:
        days, rest = divmod(round(seconds), DAY)
        return f"{days} d {rest // 3600} h"
    return format_duration(None if seconds is None else round(seconds))


@bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> ResponseReturnValue:
    return {"error": error.to_dict()}, error.http_status


def _team_id() -> int | None:
    return row_id_arg("team", Team, "team")


def _period() -> Period:
    return period_from(request.args.get("from", "")[:32], request.args.get("to", "")[:32])


def _charts(period_report):
    months = period_report.period.months()
    return {
        "severity": bar_chart("Incidents per severity", period_report.by_severity()),
        "service": bar_chart("Incidents per service", period_report.by_service()),
        "trends": [
            line_chart(f"{label}: median by month", months, period_report.monthly(m), 60, "min")
            for m, label in MEASURES.items()
        ],
    }


@bp.route("/insights")
@login_required
def page() -> ResponseReturnValue:
    status = 200
    try:
        team_id, period = _team_id(), _period()
    except DomainError as error:
        flash(error.message, "error")
        team_id, period, status = None, period_from(), 400
    period_report = report(current_user, period, team_id)
    spike_day = min(now().date(), period.last_day)
    spike = spike_in(scoped(visible_incidents(current_user), team_id), spike_day)
    return render_template(
        "insights/report.html",
        report=period_report,
        charts=_charts(period_report),
        tables={table.key: table for table in tables(period_report)},
        spike=spike,
        teams=all_teams(),
        team_id=team_id,
        measures=MEASURES,
        duration=long_duration,
    ), status


@bp.route("/insights/<key>.csv")
@login_required
def table_csv(key: str) -> ResponseReturnValue:
    period = _period()
    table = table_named(report(current_user, period, _team_id()), key)
    if table is None:
        raise not_found("table")
    filename = f"incidents-{key}-{period.first_day}-{period.last_day}.csv"
    return Response(
        as_csv(table),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
