"""A change whose ack never arrives is resent with its op_id, and the server applies it
once: in Chromium, the ack of a change is swallowed on its way to the page and the socket
cut, as a flaky network would; after the reconnect the room shows the change once and no
refusal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot
from tests.browser.test_room_live import post_entry
from tests.support.live import RealClient

pytestmark = pytest.mark.browser
ENTRY = "Failover to the standby started"
ITEM = "Tell the payments partner"


class AckThief:
    """Forwards the page's socket both ways, except that it swallows the first ack that
    carries `marker` and then cuts the connection."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.stolen = 0

    def route(self, ws) -> None:
        server = ws.connect_to_server()
        ws.on_message(lambda message: server.send(message))

        def to_page(message) -> None:
            text = message if isinstance(message, str) else ""
            if not self.stolen and text.startswith("43") and self.marker in text:
                self.stolen += 1
                ws.close()
                return
            ws.send(message)

        server.on_message(to_page)


def add_checklist_item(page, text: str) -> None:
    page.get_by_label("New checklist item").fill(text)
    page.get_by_label("New checklist item").press("Enter")


def room_texts(room) -> tuple[list[str], list[str]]:
    other = RealClient(room.server.url, "user1").connect()
    state = other.call("join", {"incident_id": room.incident_id})
    other.disconnect()
    return [e["text"] for e in state["timeline"]], [i["text"] for i in state["checklist"]]


@pytest.mark.parametrize(
    ("marker", "make", "shown"),
    [
        (ENTRY, post_entry, "#timeline li.entry"),
        (ITEM, add_checklist_item, "#checklist li"),
    ],
    ids=["entry", "checklist-item"],
)
def test_a_change_whose_ack_was_lost_is_applied_once(
    live_room, sqlite_url, open_room, marker, make, shown
):
    room = live_room(sqlite_url)
    thief = AckThief(marker)
    page = open_room(room, "user0")
    page.route_web_socket(re.compile(r"/socket\.io/"), thief.route)
    page.reload()
    room_is_live(page)

    make(page, marker)
    # Waiting in Playwright (not in time.sleep), so the route's handlers run meanwhile.
    for _ in range(200):
        if thief.stolen:
            break
        page.wait_for_timeout(50)
    assert thief.stolen == 1, "the ack was not intercepted: this test would prove nothing"

    # The page reconnects, rejoins and resends the change with its op_id.
    expect(page.locator("#connection")).to_have_attribute("data-pending", "0", timeout=30_000)
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(page.locator(shown, has_text=marker)).to_have_count(1)
    expect(page.locator(".notice-error")).to_have_count(0)
    entries, items = room_texts(room)
    assert (entries + items).count(marker) == 1
    screenshot(page, f"room-lost-ack-{'entry' if marker == ENTRY else 'item'}")
