"""Who may see a private incident, and the IC inviting and removing people, live."""

from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot
from tests.browser.test_room_access import LOW_CONTRAST


def members(page):
    return page.locator("#members li")


def test_the_ic_invites_and_removes_people_and_the_room_sees_it(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url, users=3, private=True)
    dana = room_is_live(open_room(room, "user0"))  # declarer and IC
    expect(members(dana)).to_have_text(["User 0 (declared it)"])

    invite = dana.get_by_label("Username to invite")
    invite.fill("nobody-here")
    invite.press("Enter")
    expect(dana.locator('[data-field="member-error"]')).to_contain_text("Not invited:")
    expect(invite).to_have_value("nobody-here")

    invite.fill("user1")
    invite.press("Enter")
    expect(members(dana)).to_have_text(["User 0 (declared it)", "User 1Remove"])
    expect(dana.locator('[data-field="member-error"]')).to_have_text("")
    sam = room_is_live(open_room(room, "user1"))
    expect(members(sam)).to_have_text(["User 0 (declared it)", "User 1"])
    expect(sam.get_by_label("Username to invite")).to_be_hidden()

    invite.fill("user2")
    invite.press("Enter")
    expect(members(sam)).to_have_text(["User 0 (declared it)", "User 1", "User 2"])
    screenshot(dana, "room-private-members")

    dana.get_by_role("button", name="Remove User 2").click()
    expect(members(sam)).to_have_text(["User 0 (declared it)", "User 1"])

    # Removed, Sam stops hearing the incident at once and is told why.
    dana.get_by_role("button", name="Remove User 1").click()
    expect(sam.locator("#notices")).to_contain_text("You were removed from this private incident")
    expect(sam.locator("#connection")).to_have_text("Not connected")
    screenshot(sam, "room-removed-member")


def test_a_public_incident_has_no_members_panel(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    expect(dana.get_by_role("heading", name="Who may see it")).to_be_hidden()


def test_the_new_panels_have_enough_contrast_in_the_dark(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url, private=True)
    dana = room_is_live(open_room(room, "user0", color_scheme="dark"))
    expect(dana.get_by_role("heading", name="Who may see it")).to_be_visible()
    dana.get_by_role("button", name="Draft update").click()
    dialog = dana.get_by_role("dialog", name="Draft the next update")
    expect(dialog.get_by_label("Update text")).not_to_have_value("")
    assert dana.evaluate(LOW_CONTRAST) == []
    screenshot(dana, "room-dark-update-dialog")
