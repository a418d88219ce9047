"""The insights page in Chromium: charts drawn by the server, readable with scripts off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from incident_room.clock import FrozenClock, set_clock
from tests.browser.conftest import log_in, screenshot
from tests.conftest import dispose, make_app
from tests.insights.conftest import play

SHAPES = [  # severity, minutes to ack, mitigate, resolve
    ("SEV1", 3, 40, 95),
    ("SEV1", 6, 30, 70),
    ("SEV2", 12, 45, 120),
    ("SEV2", 20, 60, 150),
    ("SEV3", 30, None, None),
]


def seed_past_weeks(database_url: str) -> None:
    """A few incidents a month over the last three months, played on a clock set back."""
    app = make_app(database_url)
    clock = FrozenClock(datetime.now(UTC))
    set_clock(app, clock)
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    try:
        for n in range(9):
            severity, ack, mitigate, resolve = SHAPES[n % len(SHAPES)]
            at = start - timedelta(days=80 - 9 * n)
            play(app, clock, at, severity, ack, mitigate, resolve, user="user0")
    finally:
        dispose(app)


def test_insights_draw_with_and_without_scripts(live_room, sqlite_url, new_context):
    room = live_room(sqlite_url)
    seed_past_weeks(sqlite_url)
    for scripts in (True, False):
        page = new_context(java_script_enabled=scripts).new_page()
        log_in(page, room.server.url, "user0")
        page.get_by_role("link", name="Insights").click()
        expect(page.locator("h1")).to_contain_text("Insights:")
        severity_chart = page.get_by_role("img", name="Incidents per severity")
        expect(severity_chart.locator("rect")).to_have_count(3)
        expect(page.locator(".response-table tbody tr")).to_have_count(9)
        expect(page.get_by_role("img", name="Time to resolve: median by month")).to_be_visible()
        page.get_by_text("Table: Incidents per severity").click()
        expect(page.locator("details[open] table")).to_contain_text("SEV1")
        screenshot(page, f"insights-{'scripts' if scripts else 'no-scripts'}")
