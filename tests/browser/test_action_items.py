"""Action items followed through in Chromium: a state moved in one post-mortem page shows in
the other at once, the board across incidents lists it, with and without scripts, and a
ticket opened in the team's tracker (a local fake of GitHub's API) links for everyone."""

import pytest
from playwright.sync_api import expect

from incident_room.services.accounts import create_user
from incident_room.services.trackers.config import TrackerSettings, configure_tracker
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_postmortem_editor import call_all_clear
from tests.conftest import dispose, make_app
from tests.support.trackers import fake_tracker

pytestmark = pytest.mark.browser


def test_a_state_moved_on_the_postmortem_shows_live_and_on_the_board(
    live_room, sqlite_url, new_context
):
    room = live_room(sqlite_url)
    call_all_clear(room)
    dana, sam = (open_page(new_context, room, name) for name in ("user0", "user1"))
    dana.get_by_label("New action item").fill("Alert when a config key is missing")
    dana.get_by_role("button", name="Add action item").click()
    state = sam.get_by_label("State of action item 1")
    expect(state).to_have_value("open")

    sam.get_by_label("State of action item 1").select_option("in_progress")
    expect(dana.get_by_label("State of action item 1")).to_have_value("in_progress")
    # A done item can only be reopened: waiving it is not offered.
    dana.get_by_label("State of action item 1").select_option("done")
    expect(sam.get_by_label("State of action item 1")).to_have_value("done")
    options = sam.get_by_label("State of action item 1").locator("option")
    expect(options).to_have_text(["Done", "In progress"])
    screenshot(sam, "postmortem-action-item-states")

    for scripts in (True, False):
        board = new_context(java_script_enabled=scripts).new_page()
        log_in(board, room.server.url, "user1")
        board.get_by_role("link", name="Action items").click()
        expect(board.locator("h1")).to_have_text("Action items across incidents")
        expect(board.get_by_text("No action items match")).to_be_visible()
        board.locator(".board-filter select[name=state]").select_option("done")
        board.get_by_role("button", name="Show").click()
        row = board.locator("tr", has_text="Alert when a config key is missing")
        expect(row.locator(".state")).to_have_text("Done")
        screenshot(board, f"action-item-board-{'scripts' if scripts else 'no-scripts'}")
        # Reopen it from the board with the keyboard alone.
        row.get_by_label("New state of").focus()
        board.keyboard.press("Tab")
        board.keyboard.press("Tab")
        board.keyboard.press("Enter")
        expect(board.locator(".flash")).to_contain_text("is now In progress")
        dana_state = dana.get_by_label("State of action item 1")
        expect(dana_state).to_have_value("in_progress")
        dana_state.select_option("done")
        expect(sam.get_by_label("State of action item 1")).to_have_value("done")


def test_a_ticket_opened_on_the_postmortem_links_for_everyone(live_room, sqlite_url, new_context):
    room = live_room(sqlite_url, OUTBOUND_ALLOW_INTERNAL="127.0.0.1")
    call_all_clear(room)
    with fake_tracker() as github:
        app = make_app(sqlite_url, OUTBOUND_ALLOW_INTERNAL="127.0.0.1")
        try:
            with app.app_context():
                admin = create_user("ada", "password-123", "Ada Admin", admin=True)
                settings = TrackerSettings(None, "github", github.url, "acme/payments", "tok")
                configure_tracker(admin, settings)
        finally:
            dispose(app)
        dana, sam = (open_page(new_context, room, name) for name in ("user0", "user1"))
        dana.get_by_label("New action item").fill("Alert when a config key is missing")
        dana.get_by_role("button", name="Add action item").click()
        sam.get_by_role("button", name="Open a ticket of action item 1").click()
        link = dana.locator("#action-item-rows a", has_text="Open")
        expect(link).to_have_attribute("href", "https://github.example/acme/payments/issues/1")
        expect(sam.get_by_role("button", name="Open a ticket of action item 1")).to_have_count(0)
        assert [request["json"]["title"] for request in github.requests] == [
            "Alert when a config key is missing"
        ]
        screenshot(dana, "postmortem-action-item-ticket")


def open_page(new_context, room, username):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, room.server.url, username)
    page.goto(f"{room.server.url}/incidents/{room.incident_id}/postmortem")
    expect(page.locator("#postmortem")).to_have_attribute("data-connection", "live")
    return page
