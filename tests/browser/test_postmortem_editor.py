"""Two people writing one post-mortem, each in their own Chromium context."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.support.live import RealClient

pytestmark = pytest.mark.browser


def call_all_clear(room) -> None:
    commander = RealClient(room.server.url, "user0").connect()
    assert commander.call("join", {"incident_id": room.incident_id})["ok"]
    alone = {"incident_id": room.incident_id, "override_reason": "Recovered on dashboards"}
    assert commander.change("incident.all_clear", alone)["ok"]
    commander.disconnect()


@pytest.fixture
def resolved_room(live_room, sqlite_url):
    """A live SEV2 that user0 (the IC) has called all-clear on: the post-mortem is open."""
    room = live_room(sqlite_url)
    call_all_clear(room)
    return room


@pytest.fixture
def open_postmortem(new_context):
    """A logged-in page on the post-mortem of `room`, live, in a context of its own."""

    def open_(room, username, opened=True):
        page = new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(page, room.server.url, username)
        page.goto(f"{room.server.url}/incidents/{room.incident_id}/postmortem")
        expect(page.locator("#postmortem")).to_have_attribute("data-connection", "live")
        expect(page.locator("#pm-body" if opened else "#pm-not-open")).to_be_visible()
        return page

    return open_


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
    expect(section_box(sam, "Summary")).to_contain_text("User 0 just changed this section.")
    write(sam, "Why 1", "Pods crash-looped on a missing config key.")
    expect(dana.get_by_label("Why 1", exact=True)).to_have_value(
        "Pods crash-looped on a missing config key."
    )
    screenshot(sam, "postmortem-editor-live")


def test_edits_of_different_words_merge_and_say_so(resolved_room, open_postmortem):
    dana = open_postmortem(resolved_room, "user0")
    sam = open_postmortem(resolved_room, "user1")
    write(dana, "Lessons", "Config ships apart from code. Canaries catch crashes.")
    expect(sam.get_by_label("Lessons", exact=True)).to_have_value(
        "Config ships apart from code. Canaries catch crashes."
    )

    sam.get_by_label("Lessons", exact=True).fill(
        "Config ships apart from code. Canaries catch crash loops early."
    )
    write(dana, "Lessons", "Config ships together with code. Canaries catch crashes.")
    section_box(sam, "Lessons").get_by_role("button", name="Save").click()

    merged = "Config ships together with code. Canaries catch crash loops early."
    expect(section_box(sam, "Lessons").locator(".pm-save-state")).to_have_text(
        "Saved, merged with changes made meanwhile"
    )
    expect(sam.get_by_label("Lessons", exact=True)).to_have_value(merged)
    expect(dana.get_by_label("Lessons", exact=True)).to_have_value(merged)
    expect(section_box(dana, "Lessons")).to_contain_text("Written by User 0, User 1")


def test_overlapping_edits_show_the_conflict_and_give_the_text_back(resolved_room, open_postmortem):
    dana = open_postmortem(resolved_room, "user0")
    sam = open_postmortem(resolved_room, "user1")
    write(dana, "Customer impact", "Checkouts failed for a while.")
    expect(sam.get_by_label("Customer impact", exact=True)).to_have_value(
        "Checkouts failed for a while."
    )

    sam.get_by_label("Customer impact", exact=True).fill("Checkouts failed for 48 minutes.")
    write(dana, "Customer impact", "Checkouts failed for about an hour.")
    expect(section_box(sam, "Customer impact")).to_contain_text("while you were writing")
    section_box(sam, "Customer impact").get_by_role("button", name="Save").click()

    conflict = section_box(sam, "Customer impact").locator(".pm-conflict")
    expect(conflict).to_contain_text("User 0 changed the same words meanwhile")
    expect(conflict.get_by_label("Your text, not saved")).to_have_value(
        "Checkouts failed for 48 minutes."
    )
    expect(sam.get_by_label("Customer impact", exact=True)).to_have_value(
        "Checkouts failed for about an hour."
    )
    screenshot(sam, "postmortem-editor-conflict")


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
