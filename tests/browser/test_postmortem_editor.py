"""Two people writing one post-mortem, each in their own Chromium context."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import call_all_clear, screenshot
from tests.browser.test_live_text import put_caret, type_together

pytestmark = pytest.mark.browser


def test_a_page_opened_before_the_all_clear_shows_the_draft_when_it_opens(
    live_room, sqlite_url, open_postmortem
):
    room = live_room(sqlite_url)
    sam = open_postmortem(room, "user1", opened=False)
    expect(sam.locator("#pm-not-open")).to_contain_text("opens when the Incident Commander")
    call_all_clear(room)
    expect(sam.locator("#pm-body")).to_be_visible()
    expect(sam.locator("#pm-not-open")).to_be_hidden()
    expect(sam.locator(".pm-badge")).to_have_text("Draft")


def section_box(page, label: str):
    return page.locator(".pm-section", has=page.get_by_label(label, exact=True))


def write(page, label: str, text: str) -> None:
    section = section_box(page, label)
    section.get_by_label(label, exact=True).fill(text)
    section.get_by_role("button", name="Save").click()
    expect(section.locator(".pm-save-state")).to_contain_text("Saved")


def test_a_section_written_by_one_appears_for_the_other(resolved_room, open_postmortem):
    dana = open_postmortem(resolved_room, "user0")
    sam = open_postmortem(resolved_room, "user1")

    write(dana, "Summary", "Checkout returned 502s after deploy 4211.")

    expect(sam.get_by_label("Summary", exact=True)).to_have_value(
        "Checkout returned 502s after deploy 4211."
    )
    expect(section_box(sam, "Summary")).to_contain_text("Written by User 0")
    write(sam, "Why 1", "Pods crash-looped on a missing config key.")
    expect(dana.get_by_label("Why 1", exact=True)).to_have_value(
        "Pods crash-looped on a missing config key."
    )
    screenshot(sam, "postmortem-editor-live")


def test_edits_of_different_words_made_at_once_both_land(resolved_room, open_postmortem):
    dana = open_postmortem(resolved_room, "user0")
    sam = open_postmortem(resolved_room, "user1")
    write(dana, "Lessons", "Config ships apart from code. Canaries catch crashes.")
    sam_box = sam.get_by_label("Lessons", exact=True)
    dana_box = dana.get_by_label("Lessons", exact=True)
    expect(sam_box).to_have_value("Config ships apart from code. Canaries catch crashes.")

    put_caret(
        sam_box,
        len("Config ships apart from code. Canaries catch crash"),
        len("Config ships apart from code. Canaries catch crashes"),
    )
    put_caret(dana_box, len("Config ships "), len("Config ships apart from"))
    type_together([sam_box, dana_box], [" loops early", "together with"])

    merged = "Config ships together with code. Canaries catch crash loops early."
    expect(sam_box).to_have_value(merged)
    expect(dana_box).to_have_value(merged)
    section_box(sam, "Lessons").get_by_role("button", name="Save").click()
    expect(section_box(dana, "Lessons")).to_contain_text("Written by User 0, User 1")


def test_overlapping_edits_keep_both_peoples_words(resolved_room, open_postmortem):
    dana = open_postmortem(resolved_room, "user0")
    sam = open_postmortem(resolved_room, "user1")
    write(dana, "Customer impact", "Checkouts failed for a while.")
    sam_box = sam.get_by_label("Customer impact", exact=True)
    dana_box = dana.get_by_label("Customer impact", exact=True)
    expect(sam_box).to_have_value("Checkouts failed for a while.")

    # Both replace the same words at once: nobody's typing is lost, both read the result.
    for box in (sam_box, dana_box):
        put_caret(box, len("Checkouts failed for "), len("Checkouts failed for a while"))
    type_together([sam_box, dana_box], ["48 minutes", "about an hour"])

    value = dana_box.input_value()
    assert value in (
        "Checkouts failed for 48 minutesabout an hour.",
        "Checkouts failed for about an hour48 minutes.",
    ), value
    expect(sam_box).to_have_value(value)
    screenshot(sam, "postmortem-editor-overlap")


def test_action_items_blameless_hints_and_publishing(resolved_room, open_postmortem):
    dana = open_postmortem(resolved_room, "user0")
    sam = open_postmortem(resolved_room, "user1")

    sam.get_by_label("New action item").fill("Alert when a config key is missing")
    sam.get_by_role("button", name="Add action item").click()
    rows = dana.locator("#action-item-rows tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_class("flagged")
    expect(rows.first).to_contain_text("No owner yet")
    dana.get_by_label("Owner of action item 1").select_option("user1")
    dana.get_by_label("Due date of action item 1").fill("2026-04-01")
    dana.get_by_label("Due date of action item 1").press("Tab")
    expect(sam.get_by_label("Owner of action item 1")).to_have_value("user1")
    expect(sam.locator("#action-item-rows tr").first).to_contain_text("Owner and date set")

    write(sam, "What went badly", "User 0 was careless with the rollout.")
    expect(section_box(dana, "What went badly").locator(".pm-suggestions")).to_contain_text(
        "careless"
    )

    dana.get_by_role("button", name="Send for review").click()
    expect(sam.locator(".pm-badge")).to_have_text("In review")
    expect(sam.locator("#pm-incident-status")).to_have_text("Post-mortem")
    dana.get_by_role("button", name="Publish").click()  # inside the 24-hour review period
    expect(dana.locator("#notices")).to_contain_text("say why you publish before it ends")
    dana.locator("#pm-early-reason").fill("Reviewed together in the meeting")
    dana.get_by_role("button", name="Publish").click()
    expect(sam.locator(".pm-status")).to_contain_text("this revision is frozen")
    expect(sam.locator("#pm-incident-status")).to_have_text("Closed")
    expect(sam.get_by_label("Summary", exact=True)).to_have_js_property("readOnly", True)
    screenshot(dana, "postmortem-editor-published")

    dana.get_by_role("button", name="Start a new revision").click()
    expect(sam.locator(".pm-revision")).to_have_text("Revision 2")
    expect(sam.get_by_label("Summary", exact=True)).to_have_js_property("readOnly", False)
    expect(sam.get_by_label("What went badly", exact=True)).to_have_value(
        "User 0 was careless with the rollout."
    )
