"""The room for people who use a keyboard, a screen reader, or a dark screen at 3 a.m."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot
from tests.browser.test_room_live import entry

# WCAG contrast of each visible text node's colour against the first opaque background
# behind it; returns the worst offenders.
LOW_CONTRAST = """
() => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (node) => {
    for (; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length === 3 || colour[3] === 1) return colour.slice(0, 3);
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor).slice(0, 3);
  };
  const found = [];
  for (const node of document.querySelectorAll("body *")) {
    const ownText = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!ownText || !node.getClientRects().length) continue;
    const style = getComputedStyle(node);
    if (style.visibility === "hidden" || node.closest(".sr-only, [hidden]")) continue;
    const fg = luminance(rgb(style.color));
    const bg = luminance(background(node));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const large = parseFloat(style.fontSize) >= 24
      || (parseFloat(style.fontSize) >= 18.6 && Number(style.fontWeight) >= 700);
    const name = `${node.tagName}.${node.className} "${node.textContent.trim().slice(0, 30)}"`;
    if (ratio < (large ? 3 : 4.5)) found.push(`${name}: ${ratio.toFixed(2)}`);
  }
  return found;
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_in_the_room_has_enough_contrast(live_room, sqlite_url, open_room, scheme):
    room = live_room(sqlite_url)
    page = room_is_live(open_room(room, "user0", color_scheme=scheme))
    page.get_by_label("New entry").fill("Contrast check")
    page.get_by_label("New entry").press("Enter")
    expect(entry(page, "Contrast check")).not_to_contain_text("sending…")
    assert page.evaluate(LOW_CONTRAST) == []
    screenshot(page, f"room-{scheme}")


def focus_by_tab(page, is_target: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const a = document.activeElement; return {is_target}; }})()"):
            return
    raise AssertionError(f"not reachable with Tab: {is_target}")


def test_a_keyboard_alone_writes_an_entry_claims_a_role_and_ticks_an_item(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))

    focus_by_tab(sam, "a.id === 'composer-text'")
    sam.keyboard.type("Typed without a mouse")
    sam.keyboard.press("Enter")
    expect(entry(dana, "Typed without a mouse")).to_be_visible()

    focus_by_tab(sam, "a.getAttribute('aria-label') === 'Claim Technical Lead'")
    sam.keyboard.press("Enter")
    expect(dana.locator('[data-role="technical_lead"]')).to_contain_text("User 1 since")

    focus_by_tab(sam, "a.type === 'checkbox'")
    sam.keyboard.press("Space")
    expect(dana.locator(".check-item.done")).to_have_count(1)

    focus_by_tab(sam, "a.id === 'checklist-new'")
    sam.keyboard.type("Tell the payments team")
    sam.keyboard.press("Enter")
    expect(dana.locator("#checklist")).to_contain_text("Tell the payments team")
