// The observer links made for this incident, live: who made each, until when it works,
// and whether it was revoked. Tokens never reach the room; the links page hands them out.
import { el, nameOf, replaceChildren } from "../dom.js";
import { timeElement } from "../time.js";

export class ObserverLinksPanel {
  constructor(list, { store, clock }) {
    this.list = list;
    this.store = store;
    this.clock = clock;
    this.expiryTimer = null;
    store.subscribe((changed) => {
      if (changed.parts.has("observer_links")) this.render();
    });
  }

  // Redraw when the next live link expires, so it is not shown live past its end.
  redrawAtNextExpiry() {
    clearTimeout(this.expiryTimer);
    const ends = this.store.observerLinks.filter((link) => this.stateOf(link) === "active")
      .map((link) => Date.parse(link.expires_at) - this.clock.nowMs());
    if (ends.length) this.expiryTimer = setTimeout(() => this.render(), Math.min(...ends) + 1000);
  }

  // A link the server called active may have expired since: the expiry decides.
  stateOf(link) {
    if (link.state === "active" && Date.parse(link.expires_at) <= this.clock.nowMs()) return "expired";
    return link.state;
  }

  describe(link) {
    const state = this.stateOf(link);
    if (state === "revoked") return ["revoked by ", nameOf(link.revoked_by), " ", timeElement(link.revoked_at, { short: true })];
    if (state === "expired") return ["expired ", timeElement(link.expires_at, { short: true })];
    return ["live until ", timeElement(link.expires_at, { short: true })];
  }

  render() {
    const links = this.store.observerLinks;
    replaceChildren(this.list, links.length
      ? links.map((link) => el("li", { class: `observer-link observer-link-${this.stateOf(link)}`, "data-link-id": link.id },
        el("span", {}, "Made by ", nameOf(link.created_by), " · "),
        el("span", { class: "hint" }, ...this.describe(link))))
      : el("li", { class: "hint" }, "No observer links: nobody outside the room is following."));
    this.redrawAtNextExpiry();
  }
}
