"""Live text (issue 23, docs/protocol-live-text.md) in real Chromium against the real
server: people typing into one entry or post-mortem section at once, each in their own
browser context, converge on one text holding every keystroke, see each other's carets,
and leave one honest revision per burst."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from incident_room.extensions import db
from incident_room.models import Incident
from incident_room.services.integrity import verify_incident
from tests.browser.conftest import room_is_live, screenshot
from tests.browser.test_room_live import entry, open_editor, post_entry
from tests.conftest import dispose, make_app
from tests.support.live import RealClient

pytestmark = pytest.mark.browser

BASE = "Checkout 502s"


def live_editors(room, usernames: list[str], open_room) -> tuple[list[Page], list[Locator]]:
    """Everyone in the room with the entry BASE open for editing, its document open."""
    pages = [room_is_live(open_room(room, name)) for name in usernames]
    post_entry(pages[0], BASE)
    boxes = []
    for page in pages:
        box = open_editor(page, BASE).get_by_label("Text")
        expect(box).to_have_value(BASE)
        boxes.append(box)
    for page in pages:
        expect(page.locator(".live-text")).to_have_count(1)
    return pages, boxes


def type_together(boxes: list[Locator], words: list[str]) -> None:
    """Each box types its own words, keystrokes interleaved across the browsers (none
    waits for the others' to arrive), as people typing at the same moment do."""
    for n in range(max(len(w) for w in words)):
        for box, word in zip(boxes, words, strict=True):
            if n < len(word):
                box.press(word[n] if word[n] != " " else "Space")


def converged(boxes: list[Locator], text: str) -> None:
    for box in boxes:
        expect(box).to_have_value(text)


def put_caret(box: Locator, at: int, to: int | None = None) -> None:
    """Focus the box and select [at, to) (a caret when `to` is None), as a click would."""
    box.focus()
    box.evaluate("(t, [a, b]) => t.setSelectionRange(a, b)", [at, at if to is None else to])
    box.press("Shift")  # a key up: what makes the editor send its cursor


def test_two_people_typing_into_one_entry_at_once_converge_with_every_keystroke(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    (dana, sam), (dana_box, sam_box) = live_editors(room, ["user0", "user1"], open_room)
    dana_box.press("End")
    sam_box.press("Home")

    type_together([dana_box, sam_box], [" in EU-west since 02:05", "Users see "])

    text = "Users see Checkout 502s in EU-west since 02:05"
    converged([dana_box, sam_box], text)
    dana_box.press("Enter")
    sam_box.press("Enter")
    expect(entry(sam, text)).to_be_visible()
    expect(entry(dana, text)).to_be_visible()


def test_three_people_typing_at_once_converge(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url, users=3)
    pages, boxes = live_editors(room, ["user0", "user1", "user2"], open_room)
    boxes[0].press("End")
    boxes[1].press("Home")
    put_caret(boxes[2], len("Checkout"))

    type_together(boxes, [" after deploy 4211", "SEV2: ", " API"])

    converged(boxes, "SEV2: Checkout API 502s after deploy 4211")
    put_caret(boxes[1], len("SEV2: "), len("SEV2: Checkout"))
    put_caret(boxes[2], len("SEV2: Checkout API 502s after"))
    overlay = pages[0].locator("form.entry-editor .live-text-overlay")
    expect(overlay.locator(".live-label")).to_have_text(["User 1", "User 2"])
    pages[0].locator("form.entry-editor").screenshot(path=Path("/tmp/live-text-two-cursors.png"))


def test_offline_typing_and_online_typing_both_survive_the_reconnect(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    (dana, sam), (dana_box, sam_box) = live_editors(room, ["user0", "user1"], open_room)

    sam.context.set_offline(True)
    expect(sam.locator("#connection")).not_to_have_text("Live")
    sam_box.press("End")
    sam_box.press_sequentially(" (typed offline)")
    expect(sam.locator(".live-text-message")).to_contain_text("Offline")
    dana_box.press("Home")
    dana_box.press_sequentially("Online: ")
    expect(sam_box).to_have_value(BASE + " (typed offline)")  # not heard yet

    sam.context.set_offline(False)
    text = "Online: Checkout 502s (typed offline)"
    converged([dana_box, sam_box], text)
    expect(sam.locator(".live-text-message")).to_be_hidden()
    sam_box.press("Enter")
    dana_box.press("Enter")
    expect(entry(dana, text)).to_be_visible()
    expect(entry(dana, "(typed offline)")).to_have_count(1)


def test_the_other_persons_cursor_and_selection_show_with_their_name(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    (dana, sam), (dana_box, sam_box) = live_editors(room, ["user0", "user1"], open_room)

    put_caret(dana_box, len("Checkout"), len(BASE))  # selects " 502s"
    overlay = sam.locator("form.entry-editor .live-text-overlay")
    expect(overlay.locator(".live-label")).to_have_text("User 0")
    expect(overlay.locator(".live-selection")).to_have_text(" 502s")
    put_caret(sam_box, len("Check"))
    expect(dana.locator("form.entry-editor .live-label")).to_have_text("User 1")
    screenshot(sam, "live-text-cursors")
    sam.locator("form.entry-editor").screenshot(path=Path("/tmp/live-text-cursors.png"))

    # Dana types before Sam's caret: it stays between the same letters, theirs too.
    dana_box.press("Home")
    dana_box.press_sequentially("EU ")
    expect(sam_box).to_have_value("EU " + BASE)
    sam_box.press("X")
    converged([dana_box, sam_box], "EU CheckXout 502s")

    dana_box.blur()
    expect(overlay.locator(".live-caret")).to_have_count(0)


def history_lines(page: Page, text: str) -> Locator:
    page.keyboard.press("Escape")
    entry(page, text).get_by_role("button", name="Show history of").click()
    return entry(page, text).locator(".history li")


def test_a_burst_of_typing_is_one_revision_and_the_chain_verifies(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    (dana, _sam), (dana_box, sam_box) = live_editors(room, ["user0", "user1"], open_room)
    dana_box.press("End")
    dana_box.press_sequentially(" in EU")  # six updates
    sam_box.press("Home")
    sam_box.press_sequentially("SEV2 ")
    text = "SEV2 Checkout 502s in EU"
    converged([dana_box, sam_box], text)

    dana_box.press("Enter")
    sam_box.press("Enter")
    lines = history_lines(dana, text)
    expect(lines).to_have_count(2)
    expect(lines.nth(1)).to_contain_text("v2 edit by")
    expect(lines.nth(1)).to_contain_text(text)
    dana.wait_for_timeout(4000)  # past the idle settling: nothing more is recorded
    entry(dana, text).get_by_role("button", name="Show history of").click()
    entry(dana, text).get_by_role("button", name="Show history of").click()
    expect(lines).to_have_count(2)

    app = make_app(sqlite_url, SECRET_KEY=room.server.env["SECRET_KEY"])
    try:
        with app.app_context():
            assert verify_incident(db.session.get(Incident, room.incident_id)).intact
    finally:
        dispose(app)


def test_an_edit_from_a_client_without_live_text_shows_up_in_the_open_editors(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    (dana, _sam), (dana_box, sam_box) = live_editors(room, ["user0", "user1"], open_room)
    entry_id = entry(dana, BASE).get_attribute("data-entry-id")
    dana_box.press("End")
    dana_box.press_sequentially("!")
    converged([dana_box, sam_box], BASE + "!")

    script = RealClient(room.server.url, "user1").connect()
    try:
        assert script.call("join", {"incident_id": room.incident_id})["ok"]
        edit = {
            "incident_id": room.incident_id,
            "entry_id": entry_id,
            "base_version": 1,  # before the live "!": merged with it
            "text": "EU: Checkout 502s",
        }
        ack = script.change("timeline.edit", edit)
        assert ack["ok"], ack
    finally:
        script.disconnect()

    converged([dana_box, sam_box], "EU: Checkout 502s!")
    dana_box.press("End")
    dana_box.press_sequentially(" Rolled back.")
    converged([dana_box, sam_box], "EU: Checkout 502s! Rolled back.")


def test_a_postmortem_section_is_co_written_live(resolved_room, open_postmortem):
    dana = open_postmortem(resolved_room, "user0")
    sam = open_postmortem(resolved_room, "user1")
    dana_box = dana.get_by_label("Summary", exact=True)
    sam_box = sam.get_by_label("Summary", exact=True)
    for page in (dana, sam):
        expect(page.locator(".pm-section .live-text").first).to_be_visible()
    dana_box.fill("Checkout failed")
    converged([dana_box, sam_box], "Checkout failed")
    dana_box.press("End")
    sam_box.press("Home")

    type_together([dana_box, sam_box], [" for 48 minutes.", "SEV2: "])

    converged([dana_box, sam_box], "SEV2: Checkout failed for 48 minutes.")
    sam.get_by_role("button", name="Save").first.click()
    about = dana.locator("#section-summary .pm-about")
    expect(about).to_contain_text("Written by User 0, User 1")
