// Others' carets and selections drawn over a <textarea>, with their names. A textarea
// cannot style parts of its text, so an overlay holds a mirror of it - same font, padding,
// borders, wrapping and scroll, its text transparent - in which a selection is a tinted
// span and a caret a thin coloured bar with a small name label. It never takes the mouse.
import { el } from "../dom.js";

// The styles that decide where a character lands, copied from the textarea.
const MIRRORED = [
  "boxSizing", "fontFamily", "fontSize", "fontWeight", "fontStyle", "fontVariant", "fontStretch",
  "letterSpacing", "wordSpacing", "lineHeight", "textTransform", "textIndent", "tabSize",
  "whiteSpace", "overflowWrap", "wordBreak", "direction",
  "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
  "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth",
];

/** A person's colour, the same in every browser: by user id, hues spread by the golden angle. */
export function colourOf(userId) {
  return `hsl(${Math.round((Number(userId) * 137.508) % 360)}deg 75% 33%)`;
}

export class RemoteCursors {
  /** Wraps `textarea` in place: the wrapper is where the textarea was. */
  constructor(textarea) {
    this.textarea = textarea;
    this.mirror = el("div", { class: "live-text-mirror", "aria-hidden": "true" });
    this.overlay = el("div", { class: "live-text-overlay" }, this.mirror);
    this.node = el("div", { class: "live-text" });
    textarea.replaceWith(this.node);
    this.node.append(textarea, this.overlay);
    this.cursors = [];
    this.onScroll = () => this.follow();
    textarea.addEventListener("scroll", this.onScroll);
    this.resized = new ResizeObserver(() => this.draw());
    this.resized.observe(textarea);
  }

  /**
   * Draw `cursors`: [{client, user, from, to, head}] (indexes in `text`, `head` the caret:
   * `from` or `to`).
   */
  show(text, cursors) {
    this.text = text;
    this.cursors = cursors;
    this.draw();
  }

  draw() {
    if (this.text === undefined) return;
    // Nobody else's cursor: no mirror text (it would only be a second copy of the text).
    if (this.cursors.length === 0) {
      this.mirror.replaceChildren();
      return;
    }
    this.copyStyles();
    const parts = [];
    const cuts = new Set([0, this.text.length]);
    for (const cursor of this.cursors) cuts.add(cursor.from).add(cursor.to);
    const sorted = [...cuts].filter((cut) => cut <= this.text.length).sort((a, b) => a - b);
    sorted.forEach((cut, n) => {
      for (const cursor of this.cursors.filter((c) => c.head === cut)) parts.push(this.caret(cursor));
      const next = sorted[n + 1];
      if (next === undefined) return;
      const chunk = this.text.slice(cut, next);
      const selecting = this.cursors.find((c) => c.from <= cut && next <= c.to && c.from < c.to);
      parts.push(selecting ? this.tinted(el("span", { class: "live-selection" }, chunk), selecting.user) : chunk);
    });
    // A last empty line has no height in a div: give it something to measure.
    parts.push("\u200b");
    this.mirror.replaceChildren(...parts);
    this.follow();
    this.placeLabels();
  }

  caret(cursor) {
    const name = cursor.user.display_name || cursor.user.username;
    return this.tinted(el("span", { class: "live-caret", dataset: { client: cursor.client } },
      el("span", { class: "live-label" }, name)), cursor.user);
  }

  tinted(node, user) {
    // CSSOM, not a style attribute: the Content-Security-Policy allows only the former.
    node.style.setProperty("--live-colour", colourOf(user.id));
    return node;
  }

  copyStyles() {
    const computed = getComputedStyle(this.textarea);
    for (const name of MIRRORED) this.mirror.style[name] = computed[name];
    // The textarea's scrollbar takes width from the text; the mirror has none.
    const borders = parseFloat(computed.borderLeftWidth) + parseFloat(computed.borderRightWidth);
    const scrollbar = this.textarea.offsetWidth - this.textarea.clientWidth - borders;
    this.mirror.style.width = `${this.textarea.offsetWidth - scrollbar}px`;
  }

  follow() {
    this.mirror.style.transform = `translate(${-this.textarea.scrollLeft}px, ${-this.textarea.scrollTop}px)`;
  }

  // A label goes above its caret, or below when the caret is on the first visible line;
  // it reaches left from the caret when it would run out of the box on the right.
  placeLabels() {
    const width = this.textarea.clientWidth;
    for (const caret of this.mirror.querySelectorAll(".live-caret")) {
      const label = caret.firstElementChild;
      caret.classList.toggle("label-below", caret.offsetTop - this.textarea.scrollTop < label.offsetHeight);
      caret.classList.toggle("label-left", caret.offsetLeft - this.textarea.scrollLeft + label.offsetWidth > width);
    }
  }

  destroy() {
    this.resized.disconnect();
    this.textarea.removeEventListener("scroll", this.onScroll);
    if (this.node.isConnected) this.node.replaceWith(this.textarea);
  }
}
