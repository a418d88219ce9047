"""The runbook editor in Chromium: the preview follows the typing, rendered and sanitised
by the server, naming what a save would refuse; a sound runbook saves and reads rendered."""

from __future__ import annotations

from playwright.sync_api import expect

from incident_room.services.catalog.services import create_service
from tests.browser.conftest import log_in, screenshot
from tests.conftest import dispose, make_app
from tests.support.runbooks import GOOD_BODY


def test_the_preview_follows_the_typing_and_a_sound_runbook_saves(
    live_room, sqlite_url, new_context
):
    room = live_room(sqlite_url)
    app = make_app(sqlite_url)
    with app.app_context():
        create_service("payments-api")
    dispose(app)
    page = new_context().new_page()
    log_in(page, room.server.url, "user0")
    page.get_by_role("link", name="Runbooks").click()
    page.get_by_role("link", name="Write a runbook").click()

    preview = page.locator("[data-preview]")
    problems = page.locator("[data-preview-problems]")
    expect(problems).to_contain_text("The Symptom section is empty.")
    body = page.get_by_label("Markdown")
    body.fill(GOOD_BODY + "\n<img src=x onerror=alert(1)> [x](javascript:alert(1))\n")
    expect(preview.locator("h2").nth(3)).to_have_text("4 Mitigation steps")
    expect(preview).to_contain_text("<img src=x onerror=alert(1)>")  # shown as text
    expect(preview.locator("img")).to_have_count(0)
    expect(problems).to_contain_text("remove raw HTML")
    screenshot(page, "runbook-editor-unsafe")

    body.fill(GOOD_BODY)
    expect(problems.locator("li")).to_have_count(0)
    page.get_by_label("Alert key").fill("PaymentsHighErrorRate")
    page.get_by_label("Owner").fill("Payments team")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "PaymentsHighErrorRate - payments-api Runbook"
    )
    expect(page.locator(".flash")).to_have_text("Saved version 1.")
    screenshot(page, "runbook-view")
