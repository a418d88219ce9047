"""The runbook pane in the room: found by search and attached, its steps ticked in one
browser show ticked in the other (they are the room's checklist items)."""

from playwright.sync_api import expect

from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.catalog.services import create_service
from tests.browser.conftest import room_is_live, screenshot
from tests.conftest import add_user, dispose, make_app
from tests.support.runbooks import save_good_runbook


def write_runbook(database_url: str) -> None:
    """The good runbook, whose Escalation names @payments-lead (an account here)."""
    app = make_app(database_url)
    add_user(app, "payments-lead", "Pat Lead")
    with app.app_context():
        create_service("payments-api")
        save_good_runbook(db.session.scalar(db.select(User).filter_by(username="user1")))
    dispose(app)


def test_a_runbook_attached_by_search_shows_in_the_pane_and_a_tick_reaches_the_other_browser(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    write_runbook(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    expect(sam.locator("[data-no-runbook]")).to_be_visible()

    dana.get_by_label("Find a runbook").fill("rollout")
    dana.get_by_role("button", name="Find").click()
    title = "PaymentsHighErrorRate - payments-api Runbook"
    dana.get_by_role("button", name=f"Attach {title}").click()

    for page in (dana, sam):
        expect(page.locator(".runbook-in-room h3")).to_have_text(title)
        expect(page.locator(".runbook-steps li")).to_have_count(4)
    expect(sam.locator("[data-no-runbook]")).to_be_hidden()
    rollback = "Mitigation 1: Roll back: `kubectl -n payments rollout undo deploy/payments-api`."
    dana.locator(".runbook-steps").get_by_label(rollback).check()

    sams_step = sam.locator(".runbook-steps").get_by_label(rollback)
    expect(sams_step).to_be_checked()
    expect(sam.locator(".runbook-steps li.done .done-by")).to_have_text("User 0")
    # The same item on Sam's checklist is ticked too.
    checklist_row = sam.locator("#checklist li", has_text=rollback)
    expect(checklist_row.locator("input[type=checkbox]")).to_be_checked()
    expect(checklist_row.locator(".badge")).to_have_text("runbook")
    sam.locator(".runbook-in-room summary").click()
    expect(sam.locator(".runbook-in-room details h2").first).to_have_text("1 Symptom")
    screenshot(sam, "room-runbook-pane")

    sam.reload()
    room_is_live(sam)
    expect(sam.locator(".runbook-steps").get_by_label(rollback)).to_be_checked()

    # The Escalation section's contact is one click from a page: Pat's tab shows it.
    pat = open_room(room, "payments-lead")
    expect(pat.locator("#pager")).to_be_hidden()
    dana.locator(".runbook-contacts").get_by_role("button", name="Page Pat Lead").click()
    expect(pat.locator("#pager")).to_contain_text("Checkout API returning 502s")
    expect(sam.locator("#timeline")).to_contain_text("User 0 paged Pat Lead.")
