"""The incident's title and summary, edited in place from the room's header."""

from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot


def test_a_responder_edits_title_and_summary_and_the_other_sees_it(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))

    dana.get_by_role("button", name="Edit title and summary").click()
    title = dana.get_by_role("textbox", name="Title")
    expect(title).to_be_focused()
    dana.get_by_role("textbox", name="Summary").fill("EU customers cannot check out.")
    title.fill("Checkout failing in EU")
    screenshot(dana, "room-title-editing")
    title.press("Enter")

    expect(sam.locator('[data-field="title"]')).to_have_text("Checkout failing in EU")
    expect(sam.locator('[data-field="summary"]')).to_have_text("EU customers cannot check out.")
    expect(dana.locator("form.title-editor")).to_have_count(0)
    expect(dana.get_by_role("button", name="Edit title and summary")).to_be_focused()


def test_escape_cancels_and_a_refusal_is_shown_with_the_text_kept(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    original = dana.locator('[data-field="title"]').inner_text()

    dana.get_by_role("button", name="Edit title and summary").click()
    dana.get_by_role("textbox", name="Title").fill("Not meant")
    dana.get_by_role("textbox", name="Title").press("Escape")
    expect(dana.locator('[data-field="title"]')).to_have_text(original)
    expect(dana.locator("form.title-editor")).to_have_count(0)

    dana.get_by_role("button", name="Edit title and summary").click()
    dana.get_by_role("textbox", name="Title").fill("")
    dana.get_by_role("textbox", name="Title").press("Enter")
    expect(dana.locator(".title-editor .form-error")).to_have_text("The title cannot be empty.")

    # The server's limit is the one that counts, whatever the page lets through.
    too_long = "x" * 201
    title = dana.get_by_role("textbox", name="Title")
    title.evaluate("(input, text) => { input.value = text; }", too_long)
    title.press("Enter")
    expect(dana.locator(".title-editor .form-error")).to_contain_text("Not saved:")
    expect(title).to_have_value(too_long)
    expect(dana.locator('[data-field="title"]')).to_have_text(original)
