// Plain messages for what happened to the user's own changes (merged, refused, failed),
// announced to screen readers through an aria-live region, and the connection banner.
import { el } from "../dom.js";

const STATUS_TEXT = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline: reconnecting when the network is back…",
  refused: "Not connected",
};

export class Notices {
  constructor(list, banner) {
    this.list = list;
    this.banner = banner;
  }

  /** level: "info" | "warn" | "error"; `extra` nodes (e.g. the server's text) follow. */
  show(level, message, ...extra) {
    const item = el("li", { class: `notice notice-${level}`, role: level === "error" ? "alert" : "status" },
      el("p", {}, message), ...extra,
      el("button", { type: "button", class: "link-button", onclick: () => item.remove() }, "Dismiss"));
    this.list.prepend(item);
    while (this.list.children.length > 5) this.list.lastElementChild.remove();
    if (level === "info") setTimeout(() => item.remove(), 8000);
    return item;
  }

  refused(what, error) {
    return this.show("error", `${what}: ${error.message || error.code}`);
  }

  status({ state, pending }) {
    const waiting = pending ? ` ${pending} change${pending === 1 ? "" : "s"} waiting to send.` : "";
    this.banner.textContent = `${STATUS_TEXT[state] || state}${state === "live" ? "" : waiting}`;
    this.banner.dataset.state = state;
    this.banner.dataset.pending = String(pending);
  }
}
