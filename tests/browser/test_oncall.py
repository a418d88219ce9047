"""The schedule page in Chromium: a team admin builds a rotation with the keyboard, is warned
by the playbook before saving, confirms; the next weeks are drawn; a member only looks."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from playwright.sync_api import expect

from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.catalog.teams import add_team_member, create_team
from incident_room.services.oncall.rotation import Layer, Schedule, on_call_at
from tests.browser.conftest import log_in, screenshot
from tests.conftest import dispose, make_app


def seed_team(database_url: str) -> None:
    """Team Payments: user0 its admin, user1..user5 its members."""
    app = make_app(database_url)
    try:
        with app.app_context():
            team = create_team("Payments")
            for user in db.session.scalars(db.select(User).order_by(User.id)):
                add_team_member(team, user, admin=user.username == "user0")
    finally:
        dispose(app)


def test_an_admin_builds_a_rotation_with_the_keyboard_and_a_member_views_it(
    live_room, sqlite_url, new_context
):
    room = live_room(sqlite_url, users=6)
    seed_team(sqlite_url)
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())

    page = new_context().new_page()
    log_in(page, room.server.url, "user0")
    page.get_by_role("link", name="On call").click()
    page.get_by_label("Name").fill("Payments primary")
    page.get_by_label("Name").press("Enter")
    expect(page.get_by_role("heading", name="Payments primary")).to_be_visible()

    page.get_by_label("Time zone", exact=True).fill("Europe/Berlin")
    page.get_by_label("Hand-off day").select_option("Monday")
    page.get_by_label("Hand-off time (local)").fill("09:00")
    page.get_by_label("Starts on").fill(monday.isoformat())
    page.get_by_label("People in order").fill("user1\nuser2\nuser3\nuser4")
    page.get_by_role("button", name="Check and save").press("Enter")

    warnings = page.get_by_role("alert").filter(has_text="This schedule breaks the playbook")
    expect(warnings).to_contain_text("Layer 1 rotates 4 people")
    expect(page.get_by_role("heading", name="The next weeks with your changes (not saved)"))
    screenshot(page, "oncall-schedule-warnings")
    confirm = page.get_by_label("I know this breaks the playbook: save anyway")
    confirm.focus()
    page.keyboard.press("Space")
    expect(confirm).to_be_checked()
    page.get_by_role("button", name="Save anyway").press("Enter")
    expect(page.get_by_text("Schedule saved.")).to_be_visible()

    rotation = Layer("Layer 1", "Europe/Berlin", 0, time(9), monday, (2, 3, 4, 5))
    answer = on_call_at(Schedule((rotation,)), datetime.now(UTC))
    expected = f"User {answer.user_id - 1}" if answer else "Nobody"
    expect(page.locator("[data-now]")).to_have_text(expected)
    timeline = page.get_by_role("img", name="Who is on call from")
    expect(timeline.locator(".timeline-row")).to_have_count(2)
    # The next hand-off in UTC and in the viewer's own zone (the context is in Berlin).
    expect(page.locator("[data-next] .utc")).to_contain_text("UTC")
    expect(page.locator("[data-next] time[data-viewer]")).to_contain_text("Europe/Berlin")
    screenshot(page, "oncall-schedule-admin")

    member = new_context().new_page()
    log_in(member, room.server.url, "user5")
    member.goto(f"{room.server.url}/oncall")
    expect(member.locator("td.on-call-now")).to_have_text(expected)
    screenshot(member, "oncall-list-member")
    member.get_by_role("link", name="Payments primary").click()
    expect(member.locator("[data-now]")).to_have_text(expected)
    expect(member.get_by_role("button", name="Check and save")).to_have_count(0)
    expect(member.get_by_text("Only an admin of Payments changes this schedule.")).to_be_visible()
    screenshot(member, "oncall-schedule-member")
