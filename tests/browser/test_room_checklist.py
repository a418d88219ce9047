"""Reordering the checklist from the keyboard, seen by everyone in the room."""

from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot


def checklist_texts(page) -> list[str]:
    return page.locator("#checklist li label").all_inner_texts()


def test_a_responder_moves_an_item_to_the_top_by_keyboard_and_the_other_sees_it(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    first, second, third = checklist_texts(dana)[:3]

    dana.get_by_role("button", name=f"Move up: {third}").focus()
    dana.keyboard.press("Enter")
    expect(dana.get_by_role("button", name=f"Move up: {third}")).to_be_focused()
    dana.keyboard.press("Enter")  # at once: moves on from the order just shown

    expect(sam.locator("#checklist li label").first).to_have_text(third)
    assert checklist_texts(sam)[:3] == [third, first, second]
    # At the top "Move up" is disabled, so the focus moves to the item's other button.
    expect(dana.get_by_role("button", name=f"Move up: {third}")).to_be_disabled()
    expect(dana.get_by_role("button", name=f"Move down: {third}")).to_be_focused()
    dana.keyboard.press("Enter")
    expect(sam.locator("#checklist li label").nth(1)).to_have_text(third)
    expect(sam.locator("#checklist li label").nth(2)).to_have_text(second)
    expect(dana.get_by_role("button", name=f"Move down: {third}")).to_be_focused()
    screenshot(sam, "room-checklist-reordered")

    sam.reload()
    room_is_live(sam)
    assert checklist_texts(sam)[:3] == [first, third, second]
    last = checklist_texts(sam)[-1]
    expect(sam.get_by_role("button", name=f"Move down: {last}")).to_be_disabled()
