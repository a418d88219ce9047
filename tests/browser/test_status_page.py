"""The public status page in Chromium: with scripts off it shows the public incident and
its posted update; with scripts on a new update, and a component an admin adds, appear
without a reload, and the page never holds a cookie; a maintenance shows "In progress"
without a reload when the server's clock passes its start."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from incident_room.clock import OffsetFileClock
from incident_room.services.status_page.policy import MAINTENANCE_CLOCK_UPDATES
from tests.browser.conftest import screenshot
from tests.conftest import add_user, dispose, make_app
from tests.status_page.helpers import add_component
from tests.support.live import http_login
from tests.support.web import csrf_from

FIRST = "We are investigating slow checkouts."
SECOND = "A fix is rolling out; checkouts are recovering."


def post(session, url: str, form_url: str, data: dict) -> None:
    token = csrf_from(session.get(form_url).text)
    response = session.post(url, data={"csrf_token": token, "op_id": str(uuid.uuid4()), **data})
    assert response.status_code == 200 and "error" not in response.url, response.url


def test_the_status_page_works_with_scripts_off_and_goes_live_with_scripts_on(
    live_room, new_context, sqlite_url
):
    room = live_room(sqlite_url)
    app = make_app(sqlite_url)
    add_user(app, "ada", "Ada Admin", admin=True)
    checkout = add_component(app, "Checkout", "Shop")
    dispose(app)
    base, incident = room.server.url, room.incident_id
    ic = http_login(base, "user0")
    form = f"{base}/incidents/{incident}/status-page"
    post(ic, form, form, {f"component-{checkout}": "partial_outage"})
    updates, draft = (
        f"{base}/incidents/{incident}/updates",
        f"{base}/incidents/{incident}/updates/new",
    )
    post(ic, updates, draft, {"audience": "status_page", "text": FIRST, "confirm_nothing_new": "1"})

    plain = new_context(java_script_enabled=False).new_page()
    plain.goto(base + "/status")
    expect(plain.locator(".sp-overall")).to_have_text("Partial System Outage")
    expect(plain.get_by_text(FIRST)).to_be_visible()
    expect(plain.locator(f"#component-{checkout} .sp-state")).to_have_text("Partial outage")
    expect(plain.locator(".sp-day")).to_have_count(90)
    screenshot(plain, "status-page-scripts-off")

    context = new_context()
    page = context.new_page()
    page.goto(base + "/status")
    expect(page.locator("#sp-live[data-connected=true]")).to_have_count(1)
    post(
        ic, updates, draft, {"audience": "status_page", "text": SECOND, "confirm_nothing_new": "1"}
    )
    expect(page.get_by_text(SECOND)).to_be_visible()
    assert page.locator(".sp-update-body").first.inner_text() == SECOND  # newest first
    assert context.cookies() == []
    admin, settings = http_login(base, "ada"), f"{base}/settings/status-page"
    post(admin, settings, settings, {"name": "Dashboard", "group_name": "Shop", "position": "2"})
    expect(page.locator(".sp-component-name", has_text="Dashboard")).to_be_visible()
    screenshot(page, "status-page-live")


def test_an_open_page_shows_a_maintenance_in_progress_when_the_clock_passes_its_start(
    live_room, new_context, sqlite_url, tmp_path
):
    offset_file = tmp_path / "clock-offset"
    room = live_room(
        sqlite_url, CLOCK_OFFSET_FILE=str(offset_file), BACKGROUND_JOB_INTERVAL_SECONDS="0.5"
    )
    app = make_app(sqlite_url)
    add_user(app, "ada", "Ada Admin", admin=True)
    api = add_component(app, "API")
    dispose(app)
    base = room.server.url
    starts = (datetime.now(UTC) + timedelta(hours=1)).replace(second=0, microsecond=0)
    window = {
        "title": "Database upgrade",
        "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
        "ends_at": f"{starts + timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "components": str(api),
    }
    settings = f"{base}/settings/status-page"
    post(http_login(base, "ada"), f"{settings}/maintenances", settings, window)

    page = new_context().new_page()
    page.goto(base + "/status")
    expect(page.locator("#sp-live[data-connected=true]")).to_have_count(1)
    upgrade = page.locator(".sp-maintenance", has_text="Database upgrade")
    expect(upgrade.locator(".sp-affected")).to_contain_text("Scheduled:")
    page.evaluate("window.notReloaded = true")
    OffsetFileClock.write(offset_file, 3600 + 60)  # a minute past the start, on the server
    expect(upgrade.locator(".sp-affected")).to_contain_text("In progress:")
    expect(upgrade).to_contain_text(MAINTENANCE_CLOCK_UPDATES["in_progress"])
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "status-page-maintenance-in-progress")
