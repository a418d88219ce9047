"""The IC marks entries shareable for observers from the room; everyone sees which are."""

from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot
from tests.browser.test_observer import create_link_as_ic
from tests.browser.test_room_live import entry, post_entry


def test_the_ic_shares_an_entry_the_observer_and_the_room_see_it_then_unshares(
    live_room, sqlite_url, open_room, new_context
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))  # the IC
    sam = room_is_live(open_room(room, "user1"))
    link = create_link_as_ic(dana.context.new_page(), room.server.url, room.incident_id)
    observer = new_context().new_page()
    observer.goto(link)
    expect(observer.locator("[data-connection]")).to_have_text("Live")

    post_entry(dana, "Rolled back the deploy")
    post_entry(dana, "Internal: db-7 is full")
    expect(entry(sam, "Internal: db-7")).to_be_visible()
    expect(
        entry(sam, "Rolled back").get_by_role("button", name="Share with observers")
    ).to_have_count(0)

    entry(dana, "Rolled back").get_by_role("button", name="Share with observers").click()
    expect(entry(sam, "Rolled back")).to_contain_text("Shared with observers")
    expect(entry(sam, "Internal: db-7")).not_to_contain_text("Shared with observers")
    shown = observer.locator("[data-entries] li")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text("Rolled back the deploy")
    stop = entry(dana, "Rolled back").get_by_role("button", name="Stop sharing")
    expect(stop).to_be_focused()
    screenshot(sam, "room-entry-shared")

    stop.click()
    expect(entry(sam, "Rolled back")).not_to_contain_text("Shared with observers")
    expect(observer.get_by_text("Nothing shared yet.")).to_be_visible()


def test_the_communications_lead_may_share_and_a_posted_update_is_always_marked(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    post_entry(dana, "Customers see timeouts")
    expect(entry(sam, "Customers see timeouts")).to_be_visible()

    sam.get_by_role("button", name="Claim Communications Lead").click()
    entry(sam, "Customers see timeouts").get_by_role("button", name="Share with observers").click()
    expect(entry(dana, "Customers see timeouts")).to_contain_text("Shared with observers")

    post_entry(sam, "Checkout is degraded; next update in 15 minutes.", kind="update")
    expect(entry(dana, "Checkout is degraded")).to_contain_text("Shared with observers")
    expect(
        entry(sam, "Checkout is degraded").get_by_role("button", name="Share with observers")
    ).to_have_count(0)
