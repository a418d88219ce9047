"""From the room to a posted stakeholder update in Chromium: the IC drafts, edits and posts
it, the room shows it and its countdown restarts; anyone else only reads the draft."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot


def stakeholder_due(page) -> str:
    return page.locator('#deadlines [data-key="stakeholder_update"]').get_attribute("data-due")


def test_the_ic_posts_the_drafted_update_and_the_countdown_restarts(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    ic = room_is_live(open_room(room, "user0"))
    due_before = stakeholder_due(ic)

    ic.get_by_role("link", name="Draft on its own page").click()
    draft = ic.get_by_label("Update text")
    expect(draft).to_have_value(re.compile(r"^INC-1: Checkout API returning 502s\nSeverity: SEV2"))
    expect(draft).to_have_value(re.compile(r"Incident Commander: User 0\."))
    screenshot(ic, "update-draft")
    draft.fill(draft.input_value() + "\nWe are rolling back the last deploy.")
    ic.get_by_role("button", name="Post update").click()

    room_is_live(ic)
    expect(ic.get_by_text("update posted; its countdown restarted")).to_be_visible()
    posted = ic.locator("#timeline li.entry", has_text="We are rolling back the last deploy.")
    expect(posted).to_be_visible()
    expect(ic.locator('#deadlines [data-key="stakeholder_update"]')).not_to_have_attribute(
        "data-due", due_before
    )
    assert stakeholder_due(ic) > due_before


def test_others_read_the_draft_but_cannot_post_it(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    other = room_is_live(open_room(room, "user1"))
    other.get_by_role("link", name="Draft on its own page").click()
    expect(other.get_by_label("Update text")).not_to_be_editable()
    expect(other.get_by_role("button", name="Post update")).to_have_count(0)
    expect(other.get_by_role("note")).to_contain_text("Only the Incident Commander")
