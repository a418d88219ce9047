"""The incident list: declare from the keyboard, read severity, status and times at a glance."""

from playwright.sync_api import expect

from tests.browser.conftest import log_in, room_is_live, screenshot


def test_declaring_from_the_keyboard_opens_the_room_and_lists_the_incident(
    live_room, sqlite_url, new_context
):
    room = live_room(sqlite_url)
    page = new_context().new_page()
    log_in(page, room.server.url, "user1")
    page.goto(f"{room.server.url}/incidents")

    quick = page.get_by_label("Quick declare")
    quick.focus()
    page.keyboard.type("@incident SEV-1: payments double-charging")
    page.keyboard.press("Enter")

    room_is_live(page)
    expect(page.locator("h1")).to_contain_text("payments double-charging")
    expect(page.locator('[data-field="severity-badge"]')).to_have_text("SEV1")

    page.get_by_role("link", name="Incidents").first.click()
    row = page.locator("tbody tr", has_text="payments double-charging")
    expect(row.locator(".sev")).to_have_text("SEV1")
    expect(row.locator(".status")).to_have_text("Declared")
    declared = row.locator("time")
    expect(declared).to_have_attribute("title", row.locator(".utc-line").inner_text())
    expect(declared).not_to_contain_text("UTC")
    screenshot(page, "list")


def test_a_bad_quick_declaration_says_what_to_type(live_room, sqlite_url, new_context):
    room = live_room(sqlite_url)
    page = new_context().new_page()
    log_in(page, room.server.url, "user0")
    page.goto(f"{room.server.url}/incidents")
    page.get_by_label("Quick declare").fill("checkout is down")
    page.get_by_label("Quick declare").press("Enter")
    expect(page.locator(".flash-error")).to_contain_text("Start with @incident")
    expect(page.get_by_label("Quick declare")).to_have_attribute("aria-invalid", "true")


def test_phone_width_and_dark_mode(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    phone = room_is_live(
        open_room(room, "user0", viewport={"width": 390, "height": 844}, color_scheme="dark")
    )
    phone.get_by_label("New entry").fill("Checking from my phone")
    phone.get_by_label("New entry").press("Enter")
    expect(phone.locator("#timeline")).to_contain_text("Checking from my phone")
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert phone.evaluate(no_sideways_scroll)
    background = phone.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(15, 20, 25)"
    screenshot(phone, "room-phone-dark")

    phone.goto(f"{room.server.url}/incidents")
    assert phone.evaluate(no_sideways_scroll)
    screenshot(phone, "list-phone-dark")


def test_the_theme_toggle_switches_to_dark_and_is_remembered(live_room, sqlite_url, new_context):
    room = live_room(sqlite_url)
    page = new_context(color_scheme="light").new_page()
    log_in(page, room.server.url, "user0")
    background = "getComputedStyle(document.documentElement).backgroundColor"
    toggle = page.locator("#theme-toggle")
    expect(toggle).to_have_text("Switch to dark theme")  # it says what it does
    assert page.evaluate(background) == "rgb(246, 248, 250)"

    toggle.click()
    expect(toggle).to_have_text("Switch to light theme")
    assert page.evaluate(background) == "rgb(15, 20, 25)"
    page.reload()
    expect(page.get_by_role("button", name="Switch to light theme")).to_be_visible()
    assert page.evaluate(background) == "rgb(15, 20, 25)"
