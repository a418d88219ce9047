"""Real headless Chromium (Debian's package) driven by Playwright against a live server.

`live_room(sqlite_url)` starts `python app.py` with users `user0`, `user1`, ... and one
SEV2 incident; `open_room(room, "user0")` gives a logged-in page in its own browser
context (its own cookies), so two calls are two people side by side.
Screenshots go to `test-artifacts/screenshots/`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

from tests.conftest import PASSWORD
from tests.support.live import PROJECT_ROOT, RealClient
from tests.support.rooms import LiveRoom, live_room

__all__ = ["live_room"]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"

# A 2-core CI machine runs a server, Chromium and the test at once: give pages and
# assertions the same patience (Playwright's assertions default to 5 s).
PATIENCE_MS = 15_000
expect.set_options(timeout=PATIENCE_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian package chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


# Every page reports what the Content-Security-Policy blocked, so a violation is seen even
# when the blocked script or style was not one the test looked at.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def _is_csp_violation(message: ConsoleMessage) -> bool:
    text = message.text
    return text.startswith("CSP violation") or "Content Security Policy" in text


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh browser contexts (separate cookies), closed after the test. A Content
    Security Policy violation on any of their pages fails the test."""
    contexts: list[BrowserContext] = []
    violations: list[str] = []

    def make(**options) -> BrowserContext:
        context = browser.new_context(timezone_id="Europe/Berlin", **options)
        context.set_default_timeout(PATIENCE_MS)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on(
            "console",
            lambda message: violations.append(message.text) if _is_csp_violation(message) else None,
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert violations == [], violations


@pytest.fixture
def open_room(new_context: Callable[..., BrowserContext]) -> Iterator[Callable[..., Page]]:
    """A logged-in page showing the room of `room`, in a context of its own.

    A script error on any of these pages fails the test: a broken room must not pass
    because the assertions happened to look elsewhere.
    """
    errors: list[str] = []

    def open_(
        room: LiveRoom, username: str, init_script: str | None = None, **context_options
    ) -> Page:
        context = new_context(**context_options)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{username}: {error}"))
        log_in(page, room.server.url, username)
        page.goto(f"{room.server.url}/incidents/{room.incident_id}")
        return page

    yield open_
    assert errors == [], errors


def room_is_live(page: Page) -> Page:
    """Wait until the room says it is connected and has its state."""
    expect(page.locator("#connection")).to_have_text("Live")
    expect(page.locator("#roles li").first).to_be_visible()
    return page


def before_now(hours: int) -> tuple[str, str, str]:
    """A moment `hours` ago (entries may not be dated far from their incident): as typed in
    the browser's zone (Europe/Berlin), its local clock, and as the UTC hover shows it."""
    at = (datetime.now(UTC) - timedelta(hours=hours)).replace(second=0, microsecond=0)
    local = at.astimezone(ZoneInfo("Europe/Berlin"))
    return local.strftime("%Y-%m-%dT%H:%M"), local.strftime("%H:%M"), f"{at:%Y-%m-%d %H:%M} UTC"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def call_all_clear(room: LiveRoom) -> None:
    """user0, the Incident Commander, calls the all-clear alone: the post-mortem opens."""
    commander = RealClient(room.server.url, "user0").connect()
    assert commander.call("join", {"incident_id": room.incident_id})["ok"]
    alone = {"incident_id": room.incident_id, "override_reason": "Recovered on dashboards"}
    assert commander.change("incident.all_clear", alone)["ok"]
    commander.disconnect()


@pytest.fixture
def resolved_room(live_room, sqlite_url) -> LiveRoom:
    """A live SEV2 that user0 (the IC) has called all-clear on: the post-mortem is open."""
    room = live_room(sqlite_url)
    call_all_clear(room)
    return room


@pytest.fixture
def open_postmortem(new_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    """A logged-in page on the post-mortem of `room`, live, in a context of its own."""

    def open_(room: LiveRoom, username: str, opened: bool = True) -> Page:
        page = new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(page, room.server.url, username)
        page.goto(f"{room.server.url}/incidents/{room.incident_id}/postmortem")
        expect(page.locator("#postmortem")).to_have_attribute("data-connection", "live")
        expect(page.locator("#pm-body" if opened else "#pm-not-open")).to_be_visible()
        return page

    return open_
