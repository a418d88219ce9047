"""The room's other controls, as a responder uses them: entry history, delete and restore,
backdating, links to entries, severity and status, handing roles over, all-clear."""

from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import before_now, room_is_live, screenshot
from tests.browser.test_room_live import entry, post_entry


def accept_dialogs(page) -> None:
    page.dialog_acceptor = lambda dialog: dialog.accept()
    page.on("dialog", page.dialog_acceptor)


def test_delete_restore_and_history_of_an_entry(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    post_entry(dana, "Cache flushed")
    box = entry(dana, "Cache flushed")
    box.get_by_role("button", name="Edit entry").click()
    editor = dana.locator("form.entry-editor").get_by_label("Text")
    editor.fill("Cache flushed on all nodes")
    editor.press("Enter")

    entry(dana, "Cache flushed on all nodes").get_by_role("button", name="Delete entry").click()
    expect(entry(sam, "Cache flushed on all nodes")).to_contain_text("deleted")
    # The undo is offered in place, focused: Enter brings the entry back.
    undo = entry(dana, "Cache flushed on all nodes").get_by_role("button", name="Undo delete")
    expect(undo).to_be_focused()
    screenshot(dana, "room-entry-undo-delete")
    dana.keyboard.press("Enter")
    expect(entry(sam, "Cache flushed on all nodes")).not_to_contain_text("deleted")
    entry(sam, "Cache flushed on all nodes").get_by_role("button", name="Delete entry").click()
    entry(dana, "Cache flushed on all nodes").get_by_role("button", name="Restore entry").click()
    expect(entry(sam, "Cache flushed on all nodes")).not_to_contain_text("deleted")

    entry(sam, "Cache flushed on all nodes").get_by_role("button", name="Show history").click()
    history = entry(sam, "Cache flushed on all nodes").locator(".history li")
    expect(history).to_have_count(6)
    expect(history.nth(0)).to_contain_text("v1 create by User 0")
    expect(history.nth(0)).to_contain_text("Cache flushed")
    expect(history.nth(1)).to_contain_text("v2 edit by User 0")
    expect(history.nth(1)).to_contain_text("(changed text)")
    expect(history.nth(2)).to_contain_text("v3 delete by User 0")
    expect(history.nth(3)).to_contain_text("v4 restore by User 0")
    expect(history.nth(4)).to_contain_text("v5 delete by User 1")
    expect(history.nth(5)).to_contain_text("v6 restore by User 0")


def test_a_backdated_entry_shows_both_clocks_in_local_time_with_utc_on_hover(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    typed, local_clock, utc = before_now(hours=1)
    dana.get_by_label("Happened at").fill(typed)
    post_entry(dana, "First 502s seen on the dashboard")

    item = entry(dana, "First 502s seen")
    occurred = item.locator("time.occurred")
    expect(occurred).to_contain_text(local_clock)
    expect(occurred).to_have_attribute("title", utc)
    expect(item.locator(".recorded")).to_contain_text("written")
    # Newest first by when it happened: the backdated entry sinks below the declaration.
    expect(dana.locator("#timeline li.entry").last).to_contain_text("First 502s seen")


def test_the_time_an_entry_happened_is_corrected_in_place(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    post_entry(dana, "Pager fired")
    entry(dana, "Pager fired").get_by_role("button", name="Edit entry").click()
    typed, _, utc = before_now(hours=2)
    dana.locator("form.entry-editor").get_by_label("Happened at").fill(typed)
    dana.locator("form.entry-editor").get_by_role("button", name="Save").click()

    corrected = entry(sam, "Pager fired")
    expect(corrected.locator("time.occurred")).to_have_attribute("title", utc)
    expect(corrected.locator(".recorded")).to_contain_text("written")
    corrected.get_by_role("button", name="Show history").click()
    expect(corrected.locator(".history li").nth(1)).to_contain_text("(changed time it happened)")


def test_a_copied_link_opens_the_room_at_the_entry(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0", permissions=["clipboard-read", "clipboard-write"]))
    post_entry(dana, "Rollback complete")
    entry(dana, "Rollback complete").get_by_role("button", name="Copy link").click()
    expect(dana.locator("#notices")).to_contain_text("Link to the entry copied")
    link = dana.evaluate("navigator.clipboard.readText()")
    assert link.startswith(f"{room.server.url}/incidents/{room.incident_id}#entry-")

    sam = room_is_live(open_room(room, "user1"))
    sam.goto(link)  # the room is open: only the hash changes
    expect(entry(sam, "Rollback complete")).to_have_class("entry kind-note linked")
    expect(entry(sam, "Rollback complete")).to_be_focused()
    sam.reload()  # opened afresh from the link
    expect(entry(sam, "Rollback complete")).to_have_class("entry kind-note linked")
    expect(entry(sam, "Rollback complete")).to_be_focused()


def test_severity_status_handover_and_all_clear(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    accept_dialogs(dana)
    accept_dialogs(sam)

    dana.get_by_label("Severity", exact=True).select_option("SEV1")
    expect(sam.locator('[data-field="severity-badge"]')).to_have_text("SEV1")
    expect(sam.locator('[data-role="scribe"]')).to_contain_text("Unfilled — required")
    sam.get_by_label("Status", exact=True).select_option("investigating")
    expect(dana.locator('[data-field="status-badge"]')).to_have_text("Investigating")
    expect(sam.get_by_role("button", name="Call all-clear")).to_be_hidden()

    dana.get_by_label("Hand Incident Commander to").select_option("user1")
    dana.get_by_role("button", name="Hand over Incident Commander").click()
    expect(sam.locator('[data-role="incident_commander"]')).to_contain_text("User 1 since")
    expect(dana.get_by_role("button", name="Call all-clear")).to_be_hidden()
    screenshot(sam, "room-sev1-investigating")

    # The new IC (user1) lowers SEV1 -> SEV2 freely; dana, no longer IC, must say why.
    asked: list[str] = []
    dana.remove_listener("dialog", dana.dialog_acceptor)
    dana.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept("Contained")))
    dana.get_by_label("Severity", exact=True).select_option("SEV2")
    expect(sam.locator("#timeline")).to_contain_text(
        "User 0 lowered severity: SEV1 → SEV2 (reason: Contained)"
    )
    assert asked == ["Why lower SEV1 to SEV2? The timeline keeps your reason."]

    # A SEV2's all-clear waits for a second participant, with what is still open in view.
    sam.get_by_role("button", name="Call all-clear").click()
    asking = sam.locator("#all-clear-dialog")
    expect(asking).to_contain_text("A SEV2 ends when a second participant confirms recovery")
    expect(asking.locator(".still-open")).to_contain_text(
        "10 of 10 checklist items unticked: Establish the war room"
    )
    screenshot(sam, "room-all-clear-dialog")
    asking.get_by_role("button", name="Call all-clear").click()
    request = dana.locator("#all-clear-request")
    expect(request).to_contain_text("User 1 called all-clear at")
    expect(dana.locator('[data-field="status-badge"]')).to_have_text("Investigating")
    expect(sam.locator("#all-clear-request")).to_contain_text("waiting for a second participant")
    screenshot(dana, "room-all-clear-waiting")
    request.get_by_role("button", name="Confirm all-clear").click()
    dana.locator("#all-clear-dialog").get_by_role("button", name="Confirm all-clear").click()
    expect(sam.locator('[data-field="status-badge"]')).to_have_text("Resolved")
    expect(sam.locator("#timeline")).to_contain_text(
        "User 1 called all-clear, confirmed by User 0."
    )
    expect(request).to_be_hidden()
    expect(dana.get_by_role("link", name="Post-mortem")).to_have_attribute(
        "href", f"/incidents/{room.incident_id}/postmortem"
    )
    expect(dana.get_by_label("Status", exact=True)).to_have_value("resolved")


def test_the_ic_ends_a_sev2_alone_only_with_a_reason(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    dana.get_by_role("button", name="Call all-clear").click()
    dialog = dana.locator("#all-clear-dialog")
    dialog.get_by_text("Nobody else can confirm? End it alone").click()
    dialog.get_by_role("button", name="End it alone").click()
    expect(dialog).to_contain_text("Say why nobody else can confirm")
    dialog.get_by_label("Why you end it without a second confirmation").fill(
        "Night shift of one; error rate flat for 20 minutes"
    )
    dialog.get_by_role("button", name="End it alone").click()
    expect(dana.locator('[data-field="status-badge"]')).to_have_text("Resolved")
    expect(dana.locator("#timeline")).to_contain_text(
        "without a second confirmation (reason: Night shift of one; error rate flat"
    )


def test_a_role_held_by_someone_else_changes_hands_only_when_taken_over_on_purpose(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    dana.get_by_role("button", name="Claim Scribe").click()
    expect(sam.locator('[data-role="scribe"]')).to_contain_text("User 0 since")
    expect(sam.get_by_role("button", name="Release Scribe")).to_have_count(0)

    sam.once("dialog", lambda dialog: dialog.dismiss())
    sam.get_by_role("button", name="Take over Scribe").click()
    expect(dana.locator('[data-role="scribe"]')).to_contain_text("User 0 since")

    sam.once("dialog", lambda dialog: dialog.accept())
    sam.get_by_role("button", name="Take over Scribe").click()
    expect(dana.locator('[data-role="scribe"]')).to_contain_text("User 1 since")
    sam.get_by_role("button", name="Release Scribe").click()
    expect(dana.locator('[data-role="scribe"]')).to_contain_text("Unfilled")


def test_an_hour_old_sev2_shows_overdue_deadlines_and_the_ic_escalates(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url, declared_ago=timedelta(minutes=61))
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))

    deadlines = sam.locator("#deadlines")
    expect(deadlines.locator(".overdue", has_text="Assign Technical Lead")).to_contain_text(
        "overdue by 46m"
    )
    expect(deadlines.locator(".overdue", has_text="Stakeholder update")).to_be_visible()
    expect(deadlines).to_contain_text("escalate to SEV1 procedures")
    expect(sam.locator('[data-role="technical_lead"]')).to_contain_text("overdue since")
    expect(sam.get_by_role("button", name="Escalate to SEV1")).to_have_count(0)
    expect(dana.locator('[data-field="elapsed"]')).to_contain_text("1h 01m")
    screenshot(dana, "room-overdue")

    dana.get_by_label("Reason for escalating").fill("Error rate still rising after rollback")
    dana.get_by_role("button", name="Escalate to SEV1").click()
    expect(sam.locator('[data-field="severity-badge"]')).to_have_text("SEV1")
    expect(sam.locator("#timeline")).to_contain_text("Error rate still rising after rollback")
    expect(deadlines).not_to_contain_text("escalate to SEV1 procedures")
