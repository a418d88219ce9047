"""The insights page and its CSVs over HTTP: what a member sees, and bad input refused."""

from __future__ import annotations

import pytest

from incident_room.extensions import db
from incident_room.models import Incident
from tests.conftest import declare, logged_in_client
from tests.insights.conftest import day, play


@pytest.fixture
def seeded(app, dana, fox, clock):
    play(
        app,
        clock,
        day(1, 5),
        "SEV1",
        ack=2,
        mitigate=30,
        resolve_after=60,
        title="Payments <b>down</b>",
    )
    play(app, clock, day(1, 20), "SEV2", ack=5)
    clock.current = day(1, 21)
    secret = declare(app, "fox", title="Breach of the vault", severity="SEV1", private=True)
    clock.current = day(2, 1)
    return secret


def test_the_page_draws_charts_with_tables_and_hides_what_the_viewer_may_not_see(app, seeded):
    page = logged_in_client(app, "dana").get("/insights?from=2026-01-01&to=2026-01-31")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Insights: 2026-01-01 to 2026-01-31 (UTC)" in html
    assert html.count("<svg") == 5  # severity, service, three monthly trends
    assert "Payments &lt;b&gt;down&lt;/b&gt;" in html and "<b>down</b>" not in html
    assert "Breach of the vault" not in html  # Fox's private incident
    assert (
        '<td class="sev-sev1">SEV1</td><td>Time to acknowledge</td><td>1</td><td>2 min</td>' in html
    )
    fox_html = logged_in_client(app, "fox").get("/insights?from=2026-01-01&to=2026-01-31")
    assert "Breach of the vault" in fox_html.get_data(as_text=True)


def test_each_table_downloads_as_csv(app, seeded):
    client = logged_in_client(app, "dana")
    response = client.get("/insights/severity.csv?from=2026-01-01&to=2026-01-31")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="incidents-severity-2026-01-01-2026-01-31.csv"'
    )
    assert response.get_data(as_text=True) == "Severity,Incidents\r\nSEV1,1\r\nSEV2,1\r\n"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-02-30", "Give a date as YYYY-MM-DD."),
        ("from=2026-03-01&to=2026-01-01", "The period must start on or before its last day."),
        ("from=0001-01-01&to=9999-12-31", "Ask for at most 1098 days at a time."),
        ("team=99999999999999999999", "No such team."),
        ("team=-1", "No such team."),
    ],
)
def test_nonsense_is_refused_with_the_reason(app, seeded, query, message):
    client = logged_in_client(app, "dana")
    page = client.get(f"/insights?{query}")
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    csv = client.get(f"/insights/severity.csv?{query}")
    assert csv.status_code == 400
    assert csv.get_json()["error"] == {
        "code": "invalid",
        "message": message,
        "field": csv.get_json()["error"]["field"],
    }


def test_an_unknown_table_is_not_found_and_strangers_must_log_in(app, seeded):
    response = logged_in_client(app, "dana").get("/insights/passwords.csv")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert app.test_client().get("/insights").status_code == 302
    assert app.test_client().get("/insights/severity.csv").status_code == 302


def test_drills_count_nowhere(app, dana, clock):
    drill = play(app, clock, day(1, 5), "SEV1", ack=2)
    with app.app_context():
        db.session.get(Incident, drill).drill = True
        db.session.commit()
    clock.current = day(1, 6)
    csv = logged_in_client(app, "dana").get("/insights/severity.csv?from=2026-01-01&to=2026-01-31")
    assert csv.get_data(as_text=True) == "Severity,Incidents\r\n"
