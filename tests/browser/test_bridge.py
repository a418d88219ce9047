"""The war-room call pinned in the room (Chromium): raised to SEV1, the room shows the call
to join, for everyone in it at once."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot

pytestmark = pytest.mark.browser


def test_the_call_is_pinned_in_the_room_for_everyone(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url, BRIDGE_URL_TEMPLATE="https://meet.example/ir-{reference}-{token}")
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    # Declared before the server knew the template: no call yet; SEV1 makes one.
    expect(sam.get_by_role("link", name="Join the war-room call")).to_be_hidden()
    dana.get_by_label("Severity", exact=True).select_option("SEV1")
    call = sam.get_by_role("link", name="Join the war-room call")
    expect(call).to_be_visible()
    expect(call).to_have_attribute(
        "href", re.compile(r"^https://meet\.example/ir-INC-1-[0-9a-f]{12}$")
    )
    screenshot(sam, "room-war-room-call")
