"""What people see of the post-mortem's follow-through in Chromium: whether it is required
and why, the IC's call on top, the schedule with its due times, and the next milestone on
the incident list."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.browser.test_postmortem_editor import call_all_clear

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

    refused = page.locator('#pm-requirement form[data-event="postmortem.requirement.set"]')
    refused.get_by_role("button", name="Record").click()  # user1 is not the IC
    expect(page.locator("#notices")).to_contain_text("Only the Incident Commander")

    commander = new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(commander, room.server.url, "user0")
    commander.goto(f"{room.server.url}/incidents/{room.incident_id}/postmortem")
    expect(commander.locator("#postmortem")).to_have_attribute("data-connection", "live")
    commander.get_by_label("The Incident Commander's call").select_option("asked")
    commander.get_by_label("Reason").fill("New failure mode")
    commander.locator("#pm-requirement").get_by_role("button", name="Record").click()
    verdict = commander.locator("#pm-requirement [data-field=requirement-verdict]")
    expect(verdict).to_have_text("Asked for")
    expect(commander.locator("[data-field=requirement-choice]")).to_contain_text(
        "Post-mortem asked for by User 0"
    )
    commander.get_by_label("Mark done").select_option("meeting")
    commander.get_by_role("button", name="Done", exact=True).click()
    meeting = commander.locator("#pm-milestones tr[data-milestone=meeting] td").nth(2)
    expect(meeting).to_have_text("Done")
    expect(commander.locator(".pm-badge")).to_have_text("Draft")
    choice = '#pm-requirement form[data-event="postmortem.requirement.set"]'
    expect(commander.locator(choice)).to_have_count(0)
    commander.get_by_label("Name the cause in a tag").fill("Pool exhausted")
    commander.get_by_role("button", name="Tag the cause").click()
    expect(commander.locator("[data-field=cause-tag]")).to_contain_text("pool-exhausted")
    screenshot(commander, "postmortem-asked-for-and-meeting-held")

    page.goto(f"{room.server.url}/incidents")
    expect(page.locator("[data-field=next-milestone]").first).to_contain_text(
        "Draft the timeline and first analysis, due"
    )
    screenshot(page, "incident-list-next-milestone")
