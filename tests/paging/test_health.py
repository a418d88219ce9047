"""On-call health for a seeded month (issue 19): every figure per week against hand-computed
values, after hours judged in the paged person's own zone, comp time per person, the page
and its CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from incident_room.services.accounts import set_time_zone
from incident_room.services.catalog.teams import team_named
from incident_room.services.paging.health import person_health, team_health
from incident_room.services.paging.policies import PolicyDraft, StepDraft, create_policy, use_policy
from tests.conftest import logged_in_client, socket_client
from tests.paging.conftest import NOW, users
from tests.paging.test_escalation import alert
from tests.socket.helpers import change
from tests.support.runbooks import save_good_runbook


def UTC_AT(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


# (alert time, severity word, minutes until Mo acks); Mo lives in Berlin (UTC+1 in March).
SEEDED = [
    (UTC_AT(3, 10, 0), "critical", 4, "with-runbook"),  # Tue 11:00 Berlin: business hours
    (UTC_AT(7, 2, 0), "error", 20, "k2"),  # Sat 03:00 Berlin: after hours
    *[(UTC_AT(day, 20, 0), "error", 10, f"k3-{day}") for day in range(9, 15)],  # 21:00 x6
    (UTC_AT(23, 8, 30), "critical", 16, "k4"),  # Mon 09:30 Berlin
]


@pytest.fixture
def month(paging, clock):
    """A month of pages to Mo (Europe/Berlin), each acknowledged by Mo after its delay."""
    with paging.app_context():
        people = users(paging)
        tess, mo = people["tess"], people["mo"]
        set_time_zone(mo, "Europe/Berlin")
        steps = (StepDraft("Mo first", user_id=mo.id),)
        policy = create_policy(tess, PolicyDraft(team_named("Payments").id, "Mo", steps))
        use_policy(tess, policy.id, "payments-api")
        save_good_runbook(tess, alert_key="with-runbook")
    mo_socket = socket_client(paging, "mo")
    for at, word, minutes, key in SEEDED:
        clock.current = at
        assert alert(paging, severity=word, alert_key=key).status_code == 201
        page = [m["args"][0] for m in mo_socket.get_received() if m["name"] == "page"][-1]
        clock.advance(minutes=minutes)
        assert change(mo_socket, "page.ack", {"page_id": page["id"]})["ok"]
    clock.current = NOW
    return paging


def figures(health) -> dict[date, dict[str, tuple]]:
    return {
        week.start: {key: (f.value, f.verdict) for key, f in week.figures.items()}
        for week in health.weeks[-4:]
    }


def test_the_weekly_figures_match_the_hand_computed_month(month, clock):
    with month.app_context():
        health = team_health(team_named("Payments"), NOW)
        assert [w.start for w in health.weeks][-4:] == [
            date(2026, 3, 2),
            date(2026, 3, 9),
            date(2026, 3, 16),
            date(2026, 3, 23),
        ]
        assert figures(health) == {
            date(2026, 3, 2): {
                "pages": (2, "healthy"),
                "after_hours": (1, "healthy"),
                "mtta_sev1": (4.0, "healthy"),
                "mtta_sev2": (20.0, "watch"),
                "runbook_share": (50, "watch"),
            },
            date(2026, 3, 9): {
                "pages": (6, "watch"),
                "after_hours": (6, "unhealthy"),
                "mtta_sev1": (None, None),
                "mtta_sev2": (10.0, "healthy"),
                "runbook_share": (0, "unhealthy"),
            },
            date(2026, 3, 16): {
                "pages": (0, "healthy"),
                "after_hours": (0, "healthy"),
                "mtta_sev1": (None, None),
                "mtta_sev2": (None, None),
                "runbook_share": (None, None),
            },
            date(2026, 3, 23): {
                "pages": (1, "healthy"),
                "after_hours": (0, "healthy"),
                "mtta_sev1": (16.0, "unhealthy"),
                "mtta_sev2": (None, None),
                "runbook_share": (0, "unhealthy"),
            },
        }
        assert health.comp_time == [("Mo", [0] * 8 + [1, 6, 0, 0])]
        mine = person_health(users(month)["mo"], NOW)
        assert figures(mine) == figures(health)
        assert person_health(users(month)["ann"], NOW).comp_time == []


def test_the_health_page_and_its_csv_say_the_same(month, clock):
    client = logged_in_client(month, "ann")  # anyone may look
    page = client.get("/oncall/health/teams/1")
    assert page.status_code == 200
    assert 'class="verdict-unhealthy">6<' in page.text
    assert page.text.count("<rect") >= 8
    rows = list(csv.reader(io.StringIO(client.get("/oncall/health/teams/1.csv").text)))
    assert rows[0][:3] == ["Week from", "Pages", "After-hours pages"]
    assert rows[-3][:3] == ["2026-03-09", "6", "6"]
    assert client.get("/oncall/health/teams/99").status_code == 404
    assert client.get("/oncall/health").status_code == 200
