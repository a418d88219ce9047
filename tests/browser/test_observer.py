"""An observer link in a real Chromium with no login: live, read-only, and dead on revoke,
on expiry and when tampered with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from incident_room.clock import FrozenClock, set_clock
from tests.browser.conftest import log_in, room_is_live, screenshot
from tests.conftest import dispose, make_app
from tests.support.live import RealClient
from tests.support.observers import make_link, tampered

TRY_TO_WRITE = """async ([token, incidentId]) => {
  const { io } = await import("/static/vendor/socket.io-client/socket.io.esm.min.js");
  const socket = io({ auth: { observer_token: token }, transports: ["websocket"] });
  const ack = await socket.timeout(5000).emitWithAck("timeline.add", {
    incident_id: incidentId, op_id: crypto.randomUUID(), kind: "note", text: "observer was here",
  });
  socket.disconnect();
  return ack;
}"""


def create_link_as_ic(page: Page, base_url: str, incident_id: int) -> str:
    page.goto(f"{base_url}/incidents/{incident_id}/observers")
    page.get_by_label("Expires after").select_option("1h")
    page.get_by_role("button", name="Create link").click()
    expect(page.get_by_text("Observer link created")).to_be_visible()
    return page.get_by_role("textbox", name="Link to share").input_value()


def test_an_observer_follows_live_without_an_account_until_the_link_is_revoked(
    live_room, sqlite_url, new_context, open_room
):
    room = live_room(sqlite_url)
    base = room.server.url
    ic_page = new_context().new_page()
    log_in(ic_page, base, "user0")
    responder = room_is_live(open_room(room, "user1"))
    listed = responder.locator("#observer-links li")
    expect(listed).to_have_text("No observer links: nobody outside the room is following.")
    url = create_link_as_ic(ic_page, base, room.incident_id)
    expect(listed).to_contain_text("Made by User 0 · live until")
    assert url.rsplit("/", 1)[1] not in responder.content()
    watcher = room_is_live(open_room(room, "user1"))
    watcher.clock.install()
    watcher.reload()
    expect(watcher.locator("#observer-links li")).to_contain_text("live until")
    watcher.clock.fast_forward("01:00:05")
    expect(watcher.locator("#observer-links li")).to_contain_text("Made by User 0 · expired")
    ic = RealClient(base, "user0").connect()
    assert ic.call("join", {"incident_id": room.incident_id})["ok"]
    ref = {"incident_id": room.incident_id}

    observer = new_context().new_page()
    observer.goto(url)
    expect(observer.locator("[data-connection]")).to_have_text("Live")
    expect(observer.locator("h1")).to_contain_text("Checkout API returning 502s")
    expect(observer.locator('[data-field="severity"]')).to_have_text("SEV2")
    expect(observer.get_by_text("Nothing shared yet.")).to_be_visible()
    assert observer.get_by_role("link", name="Log out").count() == 0

    ic.change("timeline.add", {**ref, "kind": "note", "text": "Internal: db-7 is full"})
    shared = ic.change("timeline.add", {**ref, "kind": "note", "text": "Rolled back the deploy"})
    ic.change("timeline.share", {**ref, "entry_id": shared["entry"]["id"], "shareable": True})
    ic.change("incident.update", {**ref, "status": "identified"})
    ic.change(
        "timeline.add",
        {
            **ref,
            "kind": "update",
            "text": "Checkout is degraded.",
            "details": {"audience": "status_page"},
        },
    )

    entries = observer.locator("[data-entries] li")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("Checkout is degraded.")
    expect(entries.nth(0)).to_contain_text("Status page update")
    expect(entries.nth(1)).to_contain_text("Rolled back the deploy")
    expect(observer.locator('[data-field="status"]')).to_have_text("identified")
    assert "db-7" not in observer.content()

    token = url.rsplit("/", 1)[1]
    ack = observer.evaluate(TRY_TO_WRITE, [token, room.incident_id])
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    screenshot(observer, "observer-live")

    ic_page.goto(f"{base}/incidents/{room.incident_id}/observers")
    ic_page.get_by_role("button", name="Revoke").click()
    expect(ic_page.get_by_text("Revoked by User 0")).to_be_visible()
    expect(listed).to_contain_text("Made by User 0 · revoked by User 0")
    screenshot(responder, "room-observer-links")

    expect(observer.get_by_text("This link was revoked.")).to_be_visible()
    expect(observer.locator("[data-connection]")).to_have_text("Not updating")
    ic.change(
        "timeline.add",
        {**ref, "kind": "update", "text": "After the revoke", "confirm_nothing_new": True},
    )
    # The room has it: it was broadcast, and would have reached a link still live.
    expect(responder.locator("#timeline")).to_contain_text("After the revoke")
    assert "After the revoke" not in observer.content()
    screenshot(observer, "observer-revoked")
    ic.disconnect()

    reopened = new_context().new_page()
    response = reopened.goto(url)
    assert response.status == 410
    expect(reopened.get_by_text("This link was revoked.")).to_be_visible()


def test_tampered_and_expired_links_get_a_clear_refusal(live_room, sqlite_url, new_context):
    room = live_room(sqlite_url)
    app = make_app(sqlite_url, SECRET_KEY=room.server.env["SECRET_KEY"])
    set_clock(app, FrozenClock(datetime.now(UTC) - timedelta(hours=2)))
    try:
        expired = make_link(app, room.incident_id, "user0", expires_in="1h")
    finally:
        dispose(app)
    page = new_context().new_page()

    response = page.goto(f"{room.server.url}/observe/{expired.token}")
    assert response.status == 410
    expect(page.get_by_role("alert")).to_contain_text("This link has expired.")

    response = page.goto(f"{room.server.url}/observe/{tampered(expired.token)}")
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("This observer link is not valid.")
    screenshot(page, "observer-tampered")
