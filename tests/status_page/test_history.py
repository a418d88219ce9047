"""The 90 days of history per component: each day's bar is the worst state it was in that
day, and uptime counts a major outage as down and a partial outage as 30% down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from incident_room.extensions import db
from incident_room.models import StatusStateChange
from incident_room.services.status_page.history import component_history
from tests.conftest import add_user
from tests.status_page.helpers import add_component

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)  # noon on the 90th day


def at(days_ago: int, hour: int, minute: int = 0) -> datetime:
    return (NOW - timedelta(days=days_ago)).replace(hour=hour, minute=minute)


def test_the_day_bars_for_a_seeded_90_days_match_the_worst_state_of_each_day(
    app_on_each_database,
):
    app = app_on_each_database
    add_user(app, "ada", "Ada Admin", admin=True)
    component = add_component(app, "API")
    seeded = [
        (at(120, 3), "partial_outage"),  # before the window: day 1 starts in it
        (at(89, 6), "operational"),
        (at(60, 23, 30), "major_outage"),  # runs over midnight into the next day
        (at(59, 0, 30), "degraded_performance"),
        (at(59, 2), "operational"),
        (at(30, 10), "degraded_performance"),
        (at(30, 11), "partial_outage"),
        (at(30, 12), "operational"),
        (at(0, 9), "major_outage"),
        (at(0, 10), "operational"),
    ]
    with app.app_context():
        db.session.add_all(
            StatusStateChange(component_id=component, state=state, at=when)
            for when, state in seeded
        )
        db.session.commit()
        history = component_history(component, NOW)

    assert len(history.days) == 90
    assert history.days[0].day == at(89, 0).date() and history.days[-1].day == NOW.date()
    worst = {day.day: day.state for day in history.days}
    expected = {
        at(89, 0).date(): "partial_outage",
        at(60, 0).date(): "major_outage",
        at(59, 0).date(): "major_outage",
        at(30, 0).date(): "partial_outage",
        at(0, 0).date(): "major_outage",
    }
    for day, state in worst.items():
        assert state == expected.get(day, "operational"), day
    uptime = {day.day: round(day.uptime, 3) for day in history.days}
    assert uptime[at(89, 0).date()] == round(100 * (1 - 6 * 0.3 / 24), 3)
    assert uptime[at(60, 0).date()] == round(100 * (1 - 0.5 / 24), 3)
    assert uptime[at(59, 0).date()] == round(100 * (1 - 0.5 / 24), 3)
    assert uptime[at(30, 0).date()] == round(100 * (1 - 0.3 / 24), 3)
    assert uptime[NOW.date()] == round(100 * (1 - 1 / 12), 3)  # the day so far: 12 hours
    down_hours = 6 * 0.3 + 0.5 + 0.5 + 0.3 + 1
    assert round(history.uptime, 4) == round(100 * (1 - down_hours / (89 * 24 + 12)), 4)
