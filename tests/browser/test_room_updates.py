"""Drafting and posting the next stakeholder update from inside the room."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot
from tests.browser.test_room_live import entry
from tests.support.live import RealClient


def stakeholder_deadline(page):
    return page.locator('#deadlines li[data-key="stakeholder_update"]')


def test_the_communications_lead_drafts_edits_and_posts_and_the_room_sees_it(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url, users=3)
    dana = room_is_live(open_room(room, "user0"))  # the IC
    sam = room_is_live(open_room(room, "user1"))
    sam.get_by_role("button", name="Claim Communications Lead").click()
    expect(dana.locator('[data-role="communications_lead"]')).to_contain_text("User 1 since")
    due_before = stakeholder_deadline(dana).get_attribute("data-due")

    sam.get_by_role("button", name="Draft update").click()
    dialog = sam.get_by_role("dialog", name="Draft the next update")
    text = dialog.get_by_label("Update text")
    expect(text).to_have_value(re.compile("INC-1: Checkout API returning 502s"))
    expect(text).to_be_focused()
    expect(text).to_be_editable()
    expect(dialog).to_contain_text("What changed since the declaration")
    text.fill(text.input_value() + "\nWe have rolled back the deploy.")
    screenshot(sam, "room-update-draft")
    dialog.get_by_role("button", name="Post update").click()
    expect(dialog).to_be_hidden()
    expect(sam.get_by_role("button", name="Draft update")).to_be_focused()

    posted = entry(dana, "We have rolled back the deploy.")
    expect(posted).to_contain_text("Audience: Stakeholders")
    expect(posted).to_contain_text("User 1")
    expect(stakeholder_deadline(dana)).not_to_have_attribute("data-due", due_before)
    expect(stakeholder_deadline(dana)).to_contain_text("in 14m")

    # Someone without the role reads the draft but cannot post it.
    lee = room_is_live(open_room(room, "user2"))
    lee.get_by_role("button", name="Draft update").click()
    dialog = lee.get_by_role("dialog", name="Draft the next update")
    expect(dialog.get_by_label("Update text")).not_to_be_editable()
    expect(dialog.get_by_label("Update text")).to_have_value(re.compile("Checkout API"))
    expect(dialog).to_contain_text(re.compile(r"What changed since \d{1,2}:\d\d"))  # the update
    expect(dialog).to_contain_text("this draft is read-only for you")
    expect(dialog.get_by_role("button", name="Post update")).to_be_hidden()
    # Handed the role while reading, Lee may post from the open dialog.
    dana.get_by_label("Hand Communications Lead to").select_option("user2")
    dana.get_by_role("button", name="Hand over Communications Lead").click()
    expect(dialog.get_by_role("button", name="Post update")).to_be_visible()
    expect(dialog.get_by_label("Update text")).to_be_editable()
    lee.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(lee.get_by_role("link", name="Draft on its own page")).to_have_attribute(
        "href", f"/incidents/{room.incident_id}/updates/new"
    )


def test_the_ic_drafts_a_status_page_update(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    dana.get_by_role("button", name="Draft update").click()
    dialog = dana.get_by_role("dialog", name="Draft the next update")
    expect(dialog.get_by_label("Update text")).not_to_have_value("")
    dialog.get_by_label("Audience").select_option("status_page")
    text = dialog.get_by_label("Update text")
    expect(text).to_have_value(re.compile("Checkout API returning 502s"))
    expect(text).not_to_have_value(re.compile("Incident Commander|User 0"))  # no people in public
    text.fill("We are investigating slow checkouts.")
    dialog.get_by_role("button", name="Post update").click()

    expect(entry(sam, "We are investigating slow checkouts.")).to_contain_text(
        "Audience: Status page"
    )


def test_an_update_posted_offline_is_queued_and_arrives_when_back(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    dana.get_by_role("button", name="Draft update").click()
    dialog = dana.get_by_role("dialog", name="Draft the next update")
    text = dialog.get_by_label("Update text")
    expect(text).to_have_value(re.compile("Checkout API"))

    dana.context.set_offline(True)
    expect(dana.locator("#connection")).to_contain_text("Offline")
    text.fill("Written on a train: the fix is rolling out.")
    dialog.get_by_role("button", name="Post update").click()
    expect(dialog).to_be_hidden()
    expect(dana.locator("#notices")).to_contain_text("update is queued")
    expect(entry(dana, "Written on a train")).to_contain_text("sending…")

    dana.context.set_offline(False)
    expect(entry(sam, "Written on a train")).to_contain_text("Audience: Stakeholders")
    expect(entry(dana, "Written on a train")).not_to_contain_text("sending…")


def test_the_draft_says_what_was_decided_and_an_empty_update_asks_first(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    ic = RealClient(room.server.url, "user0").connect()
    ref = {"incident_id": room.incident_id}
    assert ic.call("join", ref)["ok"]
    for kind, text, details in (
        ("decision", "Roll back payments-svc to 2026.12.02-3", {}),
        ("hypothesis", "Connection storms from the new client", {}),
        ("action", "Drain the canary pool", {"owner": "user0"}),
    ):
        assert ic.change("timeline.add", {**ref, "kind": kind, "text": text, "details": details})[
            "ok"
        ]
    ic.disconnect()

    dana.get_by_role("button", name="Draft update").click()
    dialog = dana.get_by_role("dialog", name="Draft the next update")
    text = dialog.get_by_label("Update text")
    expect(text).to_have_value(
        re.compile(r"Decisions:\n- Roll back payments-svc to 2026\.12\.02-3")
    )
    expect(text).to_have_value(
        re.compile(r"Investigating:\n- Connection storms from the new client")
    )
    expect(text).to_have_value(re.compile(r"Next:\n- Drain the canary pool \(owner User 0\)"))
    screenshot(dana, "room-update-draft-says-something")
    dialog.get_by_role("button", name="Post update").click()
    expect(dialog).to_be_hidden()

    # Straight away again: nothing happened since; posting it needs a second, deliberate press.
    dana.get_by_role("button", name="Draft update").click()
    expect(text).to_have_value(re.compile("INC-1"))
    dialog.get_by_role("button", name="Post update").click()
    expect(dialog).to_contain_text("Nothing new since the last stakeholders update.")
    post_anyway = dialog.get_by_role("button", name="Post anyway")
    expect(post_anyway).to_be_focused()
    screenshot(dana, "room-update-nothing-new")
    dana.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(dana.locator("#timeline li.entry.kind-update")).to_have_count(2)
