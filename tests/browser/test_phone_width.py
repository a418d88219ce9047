"""At 360 px, as on a phone: the room's composer is one tap from the top, and no page of
the incident scrolls sideways (the post-mortem's action items included)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, room_is_live, screenshot
from tests.browser.test_postmortem_editor import call_all_clear

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_the_composer_is_one_tap_away_and_nothing_scrolls_sideways(
    live_room, sqlite_url, open_room, new_context
):
    room = live_room(sqlite_url)
    phone = room_is_live(open_room(room, "user0", **PHONE))
    jump = phone.get_by_role("link", name="Write an entry")
    expect(jump).to_be_in_viewport()
    jump.tap()
    expect(phone.get_by_label("New entry")).to_be_focused()
    expect(phone.get_by_label("New entry")).to_be_in_viewport()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(phone, "phone-room")

    call_all_clear(room)
    page = new_context(**PHONE).new_page()
    log_in(page, room.server.url, "user0")
    page.goto(f"{room.server.url}/incidents/{room.incident_id}/postmortem")
    expect(page.locator("#postmortem")).to_have_attribute("data-connection", "live")
    page.get_by_label("New action item").fill("Alert when a config key is missing from the deploy")
    page.get_by_role("button", name="Add action item").click()
    expect(page.get_by_label("State of action item 1")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "phone-postmortem")
    for path in ("/action-items", "/insights", "/oncall"):
        page.goto(room.server.url + path)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), path
