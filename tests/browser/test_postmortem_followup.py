"""What people see of the post-mortem's follow-through in Chromium: whether it is required
and why, the IC's call on top, the schedule with its due times, and the next milestone on
the incident list."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.browser.test_postmortem_editor import call_all_clear
from tests.support.live import RealClient

pytestmark = pytest.mark.browser

MILESTONES = [
    "Draft the timeline and first analysis",
    "Hold the post-mortem meeting",
    "24-hour review of the draft",
    "Publish the final version",
    "Review the action items",
]


def test_the_postmortem_page_shows_the_decision_and_the_schedule(
    live_room, sqlite_url, new_context
):
    room = live_room(sqlite_url)
    call_all_clear(room)
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, room.server.url, "user1")
    page.goto(f"{room.server.url}/incidents/{room.incident_id}/postmortem")
    requirement = page.locator("#pm-requirement")
    expect(requirement.locator("[data-field=requirement-verdict]")).to_have_text("Not required")
    expect(requirement).to_contain_text("Every SEV1; every SEV2 with customer impact")
    rows = page.locator("#pm-milestones tbody tr")
    expect(rows.locator("td:first-child")).to_have_text(MILESTONES)
    expect(rows.first.locator("td").nth(2)).to_have_text("To do")
    expect(page.get_by_role("link", name="Meeting invite (.ics)")).to_be_visible()
    screenshot(page, "postmortem-requirement-and-schedule")

    commander = RealClient(room.server.url, "user0").connect()
    assert commander.call("join", {"incident_id": room.incident_id})["ok"]
    asked = {"incident_id": room.incident_id, "choice": "asked", "reason": "New failure mode"}
    assert commander.change("postmortem.requirement.set", asked)["ok"]
    commander.disconnect()
    page.reload()
    expect(requirement.locator("[data-field=requirement-verdict]")).to_have_text("Asked for")
    expect(requirement.locator("[data-field=requirement-choice]")).to_contain_text(
        "Post-mortem asked for by User 0"
    )

    page.goto(f"{room.server.url}/incidents")
    expect(page.locator("[data-field=next-milestone]").first).to_contain_text(
        "Draft the timeline and first analysis, due"
    )
    screenshot(page, "incident-list-next-milestone")
