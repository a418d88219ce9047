"""Deadlines that speak up (issue 18 item 3): the owner of a deadline is told when it nears
and when it passes - a line in the room, the tab title, a Web Notification - and nobody
else is; the SEV2 escalation counts down from the declaration; the post-mortem's due date
stays in view after the all-clear. Time is fast-forwarded on both sides: the server's clock
through its offset file (`CLOCK_OFFSET_FILE`), the browsers' with Playwright's clock."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from incident_room.clock import OffsetFileClock
from tests.browser.conftest import room_is_live, screenshot
from tests.browser.test_postmortem_editor import call_all_clear
from tests.support.live import RealClient

pytestmark = pytest.mark.browser

# The real Notification, granted; each one shown is also written down for the test to read.
RECORD_NOTIFICATIONS = """
window.__notified = [];
const Shown = window.Notification;
window.Notification = class extends Shown {
  constructor(title, options) {
    super(title, options);
    window.__notified.push({ title, body: options && options.body });
  }
};
"""


def notified(page) -> list[dict]:
    return page.evaluate("window.__notified")


def fast_forward(offset_file, pages, seconds: int) -> None:
    """Move the server's clock and every browser's by the same `seconds` more."""
    ahead = float(offset_file.read_text()) if offset_file.exists() else 0.0
    OffsetFileClock.write(offset_file, ahead + seconds)
    for page in pages:
        page.clock.fast_forward(seconds * 1000)


def test_each_owner_is_told_as_their_deadline_nears_and_passes(
    live_room, sqlite_url, open_room, tmp_path
):
    offset_file = tmp_path / "clock-offset"
    room = live_room(
        sqlite_url, declared_ago=timedelta(minutes=12), CLOCK_OFFSET_FILE=str(offset_file)
    )
    options = {"init_script": RECORD_NOTIFICATIONS, "permissions": ["notifications"]}
    dana = room_is_live(open_room(room, "user0", **options))  # the IC
    sam = room_is_live(open_room(room, "user1", **options))
    sam.locator('[data-role="communications_lead"]').get_by_role("button", name="Claim").click()
    expect(dana.locator('[data-role="communications_lead"]')).to_contain_text("User 1 since")
    escalation = dana.locator("#deadlines li", has_text="SEV1 escalation unless mitigated")
    expect(escalation).to_contain_text("in 47m")
    for page in (dana, sam):
        page.clock.install()
        page.reload()
        room_is_live(page)
    title = dana.title()
    assert title.startswith("INC-")

    # 13 minutes in: two minutes before the 15-minute role and update deadlines.
    fast_forward(offset_file, (dana, sam), 65)
    told = dana.locator("#notices .deadline-notice")
    expect(told.filter(has_text="Assign Technical Lead due in")).to_contain_text(
        "Yours as Incident Commander."
    )
    expect(
        sam.locator("#notices .deadline-notice", has_text="Stakeholder update due in")
    ).to_contain_text("Yours as Communications Lead.")
    expect(dana.locator("#notices")).not_to_contain_text("Stakeholder update")
    expect(sam.locator("#notices")).not_to_contain_text("Assign Technical Lead")
    expect(dana).to_have_title(
        re.compile(rf"^\(1m \d+s\) Assign Technical Lead · {re.escape(title)}$")
    )
    assert [n["title"] for n in notified(dana)] == ["INC-1: Assign Technical Lead"]
    screenshot(dana, "room-deadline-near")

    fast_forward(offset_file, (dana, sam), 130)
    expect(told.filter(has_text="Assign Technical Lead is overdue")).to_be_visible()
    expect(
        sam.locator("#notices .deadline-notice", has_text="Stakeholder update is overdue")
    ).to_be_visible()
    expect(dana).to_have_title(f"(!) Overdue: Assign Technical Lead · {title}")
    assert [n["title"] for n in notified(sam)] == [
        "INC-1: Stakeholder update",
        "INC-1: Stakeholder update",
    ]
    screenshot(sam, "room-deadline-overdue")

    # Posting the update moves its deadline: the title calms down for its owner.
    poster = RealClient(room.server.url, "user1").connect()
    assert poster.call("join", {"incident_id": room.incident_id})["ok"]
    update = {"incident_id": room.incident_id, "kind": "update", "text": "Rolling back checkout"}
    assert poster.change("timeline.add", update)["ok"]
    poster.disconnect()
    expect(sam).to_have_title(title)


def test_the_postmortem_due_date_stays_in_view_after_the_all_clear(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    call_all_clear(room)
    chip = dana.locator("#deadlines li", has_text="Post-mortem due")
    expect(chip).to_contain_text(re.compile(r"in (47h 5\d|48h 00)m"))
    dana.get_by_role("link", name="Post-mortem").click()
    due = dana.locator('[data-field="postmortem-due"]')
    expect(due).to_contain_text("Due")
    expect(due.locator("time")).to_have_attribute("title", re.compile(r" UTC$"))
    screenshot(dana, "postmortem-due")
