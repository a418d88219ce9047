"""The live text binding (static/js/live-text/) in real Chromium against a stand-in for the
server half in the page (live_text_harness.js): what a real server rarely does on cue - a
lost line mid-update, `too_large`, `rate_limited`, `forbidden` - and the textarea's own
behaviour (carets kept through others' typing, undo of our own typing only).

No app server: the page and the app's static files are served by Playwright's routing.
test_live_text.py runs the same binding against the real server.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.support.live import PROJECT_ROOT

pytestmark = pytest.mark.browser

ORIGIN = "http://live-text.test"
HARNESS = PROJECT_ROOT / "tests" / "browser" / "live_text_harness.js"
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/css/app.css">
<script type="module" src="/harness.js"></script></head><body></body></html>"""


def serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN).split("?")[0]
    if path == "/":
        route.fulfill(body=PAGE, content_type="text/html")
    elif path == "/harness.js":
        route.fulfill(path=HARNESS, content_type="text/javascript")
    elif path.startswith("/static/") and ".." not in path:
        file = PROJECT_ROOT / path.lstrip("/")
        route.fulfill(path=file, content_type=mimetypes.guess_type(file.name)[0] or "text/plain")
    else:
        route.fulfill(status=404, body="not found")


@pytest.fixture
def harness(new_context: Callable[..., BrowserContext]) -> Page:
    context = new_context(viewport={"width": 900, "height": 700})
    context.route(f"{ORIGIN}/**", serve)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(ORIGIN + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", "yes")
    yield page
    assert errors == [], errors


def open_editors(page: Page, *names: str) -> None:
    for n, name in enumerate(names):
        page.evaluate("([name, id]) => harness.open(name, id, `Person ${id}`)", [name, n + 1])
    for name in names:
        expect(page.locator(f"#{name}")).to_have_value("seed text")
    page.wait_for_function(
        "names => names.every((n) => harness.editors[n].live.document.opened)", arg=list(names)
    )


def server_text(page: Page) -> str:
    return page.evaluate("harness.serverText()")


def converged(page: Page, *names: str) -> str:
    """Wait until every textarea shows the server's text, and return it."""
    page.wait_for_function(
        """names => names.every((n) => harness.editors[n].textarea.value === harness.serverText()
            && harness.editors[n].live.document.state === "live")""",
        arg=list(names),
    )
    return server_text(page)


def test_two_editors_typing_at_once_converge_with_every_keystroke(harness: Page):
    open_editors(harness, "a", "b")
    harness.locator("#a").press("End")
    harness.locator("#b").press("Home")
    for first, second in zip("0123456789", "abcdefghij", strict=True):
        harness.locator("#a").press(first)
        harness.locator("#b").press(second)
    text = converged(harness, "a", "b")
    assert text == "abcdefghijseed text0123456789"


def test_the_caret_stays_put_when_someone_types_before_it(harness: Page):
    open_editors(harness, "a", "b")
    a = harness.locator("#a")
    a.press("End")
    a.press("ArrowLeft")  # between "tex" and "t"
    harness.locator("#b").press("Home")
    harness.locator("#b").type("NEW ")
    expect(a).to_have_value("NEW seed text")
    a.type("X")
    assert converged(harness, "a", "b") == "NEW seed texXt"


def test_offline_typing_is_sent_once_on_reconnect(harness: Page):
    open_editors(harness, "a", "b")
    harness.evaluate("harness.editors.a.connection.goOffline()")
    harness.locator("#a").press("End")
    harness.locator("#a").type(" offline")
    expect(harness.locator(".live-text-message").first).to_contain_text("Offline")
    harness.locator("#b").press("Home")
    harness.locator("#b").type("online ")
    harness.evaluate("harness.editors.a.connection.goOnline()")
    assert converged(harness, "a", "b") == "online seed text offline"
    expect(harness.locator(".live-text-message").first).to_be_hidden()


def test_typing_left_unsent_by_a_reloaded_page_is_sent_when_the_text_is_opened_again(
    harness: Page,
):
    harness.evaluate("harness.open('a', 1, 'Person 1', {incidentId: 7})")
    open_editors(harness, "b")
    harness.wait_for_function("harness.editors.a.live.document.opened")
    harness.evaluate("harness.editors.a.connection.goOffline()")
    harness.locator("#a").press("End")
    harness.locator("#a").type(" kept")
    harness.wait_for_timeout(500)  # kept in sessionStorage (after a short pause)
    harness.evaluate("harness.drop('a')")
    harness.locator("#b").press("Home")
    harness.locator("#b").type("> ")

    harness.evaluate("harness.open('again', 1, 'Person 1', {incidentId: 7})")
    assert converged(harness, "again", "b") == "> seed text kept"
    keys = harness.evaluate("Object.keys(sessionStorage)")
    assert keys == [], keys  # all sent: nothing kept


def test_an_editor_closed_and_opened_again_at_once_keeps_hearing_the_others(harness: Page):
    open_editors(harness, "a", "b")
    harness.locator("#a").press("End")
    harness.locator("#a").type("!")
    harness.evaluate("harness.reopen('a')")  # its close must not land after the new open
    harness.wait_for_function("harness.editors.a.live.document.opened")
    harness.locator("#b").press("Home")
    harness.locator("#b").type("> ")
    assert converged(harness, "a", "b") == "> seed text!"


def test_a_drop_while_an_update_is_in_flight_loses_and_doubles_nothing(harness: Page):
    open_editors(harness, "a", "b")
    harness.evaluate("harness.editors.a.connection.latency = 200")
    harness.locator("#a").press("End")
    harness.locator("#a").type("12")
    # The first update reached the server; its ack is lost with the line.
    harness.wait_for_function(
        "harness.server.received.some(([, event]) => event === 'live_text.update')"
    )
    harness.evaluate("harness.editors.a.connection.goOffline()")
    harness.locator("#a").type("34")
    harness.evaluate(
        "harness.editors.a.connection.latency = 5; harness.editors.a.connection.goOnline()"
    )
    assert converged(harness, "a", "b") == "seed text1234"


def test_updates_wait_for_each_other_and_merge_what_was_typed_meanwhile(harness: Page):
    open_editors(harness, "a")
    harness.evaluate("harness.editors.a.connection.latency = 150")
    harness.locator("#a").press("End")
    harness.locator("#a").type("abcdefgh", delay=10)
    converged(harness, "a")
    updates = harness.evaluate(
        "harness.server.received.filter(([, event]) => event === 'live_text.update').length"
    )
    assert 1 < updates < 8  # one in flight at a time, the rest merged into the next


def test_an_edit_made_elsewhere_arrives_on_the_version_it_carries(harness: Page):
    open_editors(harness, "a")
    version = harness.evaluate("harness.server.editOutside('entry:1', 'rewritten by the API')")
    harness.evaluate(f"harness.editors.a.live.sawVersion({version}, false)")
    expect(harness.locator("#a")).to_have_value("rewritten by the API")


def test_rate_limited_updates_wait_and_go_again(harness: Page):
    open_editors(harness, "a", "b")
    harness.evaluate(
        """harness.server.refuse.push({event: "live_text.update",
            error: {code: "rate_limited", message: "Slow down.", retry_after: 1}})"""
    )
    harness.locator("#a").press("End")
    harness.locator("#a").type("!")
    expect(harness.locator(".live-text-message").first).to_contain_text("faster than")
    assert converged(harness, "a", "b") == "seed text!"


def test_too_large_gives_the_text_back_and_returns_to_the_saved_text(harness: Page):
    open_editors(harness, "a", "b")
    harness.evaluate("harness.server.maxLength = 20")
    harness.locator("#a").press("End")
    harness.keyboard.insert_text(" and far too much")  # one paste: one update
    message = harness.locator(".live-text-message").first
    expect(message).to_contain_text("too long")
    expect(message.get_by_label("Your text, not saved")).to_have_value("seed text and far too much")
    assert converged(harness, "a", "b") == "seed text"
    harness.evaluate("harness.server.maxLength = 10000")
    harness.locator("#a").press("End")
    harness.locator("#a").type("!")
    assert converged(harness, "a", "b") == "seed text!"


def test_forbidden_makes_the_text_read_only_and_says_why(harness: Page):
    open_editors(harness, "a")
    harness.evaluate(
        """harness.server.refuse.push(
            {event: "live_text.update", error: {code: "forbidden", message: "x"}},
            {event: "live_text.open", error: {code: "forbidden",
              message: "This entry was deleted: its text can no longer be edited."}})"""
    )
    harness.locator("#a").press("End")
    harness.locator("#a").type("?")
    expect(harness.locator(".live-text-message")).to_contain_text("was deleted")
    expect(harness.locator("#a")).to_have_js_property("readOnly", True)
    expect(harness.locator("#a")).to_have_value("seed text?")  # kept on screen to copy


def test_undo_takes_back_only_our_own_typing(harness: Page):
    open_editors(harness, "a", "b")
    harness.locator("#a").press("End")
    harness.locator("#a").type(" mine")
    harness.locator("#b").press("Home")
    harness.locator("#b").type("theirs ")
    expect(harness.locator("#a")).to_have_value("theirs seed text mine")
    harness.locator("#a").press("Control+z")
    assert converged(harness, "a", "b") == "theirs seed text"
    harness.locator("#a").press("Control+Shift+z")
    assert converged(harness, "a", "b") == "theirs seed text mine"


def test_others_carets_and_selections_show_with_their_names(harness: Page):
    open_editors(harness, "a", "b")
    harness.locator("#b").focus()
    harness.locator("#b").evaluate("t => t.setSelectionRange(5, 9)")
    harness.locator("#b").press("Shift+ArrowLeft")  # a real selection event: "seed te" + "x"
    overlay = harness.locator("#a").locator("xpath=..").locator(".live-text-overlay")
    expect(overlay.locator(".live-label")).to_have_text("Person 2")
    expect(overlay.locator(".live-selection")).to_have_text("tex")
    harness.locator("#b").blur()
    expect(overlay.locator(".live-caret")).to_have_count(0)
