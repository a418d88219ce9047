"""Issue 9 in the browser: the server's clock as reference, structured entries with live
side lists, and evidence images pasted or dropped onto an entry."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot
from tests.browser.test_room_live import entry, post_entry

# A browser whose clock runs two hours fast, as laptops back from a trip sometimes do.
CLOCK_TWO_HOURS_FAST = """
(() => {
  const skew = 2 * 60 * 60 * 1000;
  const RealDate = Date;
  class FastDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + skew);
      else super(...args);
    }
    static now() { return RealDate.now() + skew; }
  }
  globalThis.Date = FastDate;
})();
"""

# Draws an image in the page and hands it over as a File, as a screenshot tool would.
MAKE_IMAGE = """
async ([width, height, noisy]) => {
  const canvas = document.createElement("canvas");
  canvas.width = width; canvas.height = height;
  const context = canvas.getContext("2d");
  const pixels = context.createImageData(width, height);
  for (let i = 0; i < pixels.data.length; i += 4) {
    pixels.data[i] = noisy ? Math.random() * 255 : 200;
    pixels.data[i + 1] = noisy ? Math.random() * 255 : 40;
    pixels.data[i + 2] = 40; pixels.data[i + 3] = 255;
  }
  context.putImageData(pixels, 0, 0);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  window.testImage = new File([blob], "graph.png", { type: "image/png" });
}
"""

DROP_IMAGE = """
(target) => {
  const dataTransfer = new DataTransfer();
  dataTransfer.items.add(window.testImage);
  const options = { dataTransfer, bubbles: true, cancelable: true };
  target.dispatchEvent(new DragEvent("dragover", options));
  target.dispatchEvent(new DragEvent("drop", options));
}
"""

PASTE_IMAGE = """
(target) => {
  const clipboardData = new DataTransfer();
  clipboardData.items.add(window.testImage);
  const options = { clipboardData, bubbles: true, cancelable: true };
  target.dispatchEvent(new ClipboardEvent("paste", options));
}
"""


def test_a_browser_with_a_wrong_clock_stamps_server_time(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0", init_script=CLOCK_TWO_HOURS_FAST))
    expect(dana.locator('[data-field="elapsed"]')).to_contain_text("0m")

    post_entry(dana, "Typed on a laptop whose clock is two hours fast")

    item = entry(dana, "two hours fast")
    expect(item).not_to_contain_text("sending…")
    expect(item.locator(".recorded")).to_have_count(0)
    state = dana.request.get(f"{room.server.url}/api/incidents/{room.incident_id}").json()
    stamped = next(e for e in state["timeline"] if "two hours fast" in e["text"])
    occurred = datetime.fromisoformat(stamped["occurred_at"])
    assert abs((occurred - datetime.now(UTC)).total_seconds()) < 30


def test_hypotheses_and_actions_are_edited_in_the_room_and_listed_live(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))

    post_entry(dana, "Connection pool exhausted", kind="hypothesis")
    expect(sam.locator("#open-hypotheses")).to_contain_text("Connection pool exhausted")

    dana.locator("#composer").get_by_label("Kind").select_option("action")
    dana.locator("#composer").get_by_label("Owner").select_option("user1")
    post_entry(dana, "Raise pool size to 200", kind="action")
    expect(sam.locator("#open-actions")).to_contain_text("Raise pool size to 200 — User 1, To do")
    expect(entry(sam, "Raise pool size")).to_contain_text("Owner: User 1")

    entry(sam, "Connection pool").get_by_role("button", name="Edit entry").click()
    editor = sam.locator("form.entry-editor")
    editor.get_by_label("Hypothesis status").select_option("confirmed")
    editor.get_by_role("button", name="Save").click()
    expect(dana.locator("#open-hypotheses")).to_contain_text("No open hypotheses")
    expect(entry(dana, "Connection pool exhausted")).to_contain_text("Status: Confirmed")

    entry(dana, "Raise pool size").get_by_role("button", name="Edit entry").click()
    dana.locator("form.entry-editor").get_by_label("Action status").select_option("done")
    dana.locator("form.entry-editor").get_by_role("button", name="Save").click()
    expect(sam.locator("#open-actions")).to_contain_text("No open actions")
    screenshot(sam, "room-structured")


def test_a_note_becomes_a_decision_with_its_rationale_and_who_decided(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    post_entry(dana, "Roll back to build 4120")

    entry(sam, "Roll back to build").get_by_role("button", name="Edit entry").click()
    editor = sam.locator("form.entry-editor")
    editor.get_by_label("Kind").select_option("decision")
    editor.get_by_label("Rationale").fill("4121 is the only change in the window")
    editor.get_by_label("Alternatives considered").fill("Fail over to the second region")
    editor.get_by_label("Decided by").select_option("user0")
    editor.get_by_role("button", name="Save").click()

    decision = entry(dana, "Roll back to build 4120")
    expect(decision.locator(".kind-badge")).to_have_text("Decision")
    expect(decision).to_contain_text("Rationale: 4121 is the only change in the window")
    expect(decision).to_contain_text("Alternatives: Fail over to the second region")
    expect(decision).to_contain_text("Decided by: User 0")


def test_images_dropped_or_pasted_onto_an_entry_become_evidence_for_everyone(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url, EVIDENCE_MAX_BYTES="20000")
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    post_entry(dana, "Error rate graph")
    target = entry(dana, "Error rate graph")

    dana.evaluate(MAKE_IMAGE, [64, 48, False])
    target.evaluate(DROP_IMAGE)
    thumbnails = entry(sam, "Error rate graph").locator(".evidence img")
    expect(thumbnails).to_have_count(1)
    expect(thumbnails.first).to_have_attribute(
        "alt", "Evidence image, 64 by 48 pixels, from User 0"
    )
    sam.wait_for_function(
        "img => img.complete && img.naturalWidth === 64", arg=thumbnails.first.element_handle()
    )

    target.locator(".entry-text").evaluate(PASTE_IMAGE)
    expect(thumbnails).to_have_count(2)
    screenshot(sam, "room-evidence")

    dana.evaluate(MAKE_IMAGE, [300, 300, True])
    target.evaluate(DROP_IMAGE)
    expect(dana.locator("#notices")).to_contain_text("Image too large")
    dana.evaluate("window.testImage = new File(['not an image'], 'fake.png', {type: 'image/png'})")
    target.evaluate(DROP_IMAGE)
    expect(dana.locator(".notice-error").first).to_contain_text("Image not attached")
    expect(thumbnails).to_have_count(2)


def test_posting_a_stakeholder_update_resets_its_overdue_countdown_for_everyone(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url, declared_ago=timedelta(minutes=20))
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    stakeholders = sam.locator("#deadlines li", has_text="Stakeholder update")
    expect(stakeholders).to_contain_text("overdue by 5m")

    dana.locator("#composer").get_by_label("Kind").select_option("update")
    dana.locator("#composer").get_by_label("Audience").select_option("stakeholders")
    post_entry(dana, "Checkout degraded; rollback in progress; next update 02:35", kind="update")

    expect(stakeholders).to_contain_text("in 14m")
    expect(stakeholders).not_to_have_class("deadline overdue")
    expect(sam.locator("#deadlines li", has_text="Status page update")).to_contain_text("in 9m")
