"""The login page in a real Chromium: the base every browser test stands on."""

from tests.browser.conftest import log_in, screenshot


def test_a_user_logs_in_and_reaches_the_incident_room(live_room, sqlite_url, new_context):
    room = live_room(sqlite_url)
    page = new_context().new_page()
    log_in(page, room.server.url, "user0")
    page.goto(f"{room.server.url}/incidents/{room.incident_id}")
    assert "Checkout API returning 502s" in page.locator("h1").inner_text()
    screenshot(page, "room-after-login")
