"""Two responders in one room, each in their own Chromium context, seeing each other's work."""

from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot


def post_entry(page, text: str, kind: str = "note") -> None:
    page.get_by_label("Kind", exact=True).first.select_option(kind)
    box = page.get_by_label("New entry")
    box.fill(text)
    box.press("Enter")


def entry(page, text: str):
    return page.locator("#timeline li.entry", has_text=text)


def test_an_entry_typed_by_one_responder_appears_for_the_other(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))

    post_entry(dana, "Rolled back deploy 4121")

    expect(entry(sam, "Rolled back deploy 4121")).to_contain_text("User 0")
    expect(dana.get_by_label("New entry")).to_have_value("")
    screenshot(dana, "room-entry-posted")
