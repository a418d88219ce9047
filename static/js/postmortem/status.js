// Where the post-mortem stands - draft, in review, published (frozen) - and the buttons that
// move it on. Publishing and starting a new revision belong to the post-mortem owner and
// the Incident Commander; the server checks that too. Publishing before the 24-hour review
// period ends asks the owner why (the server keeps the reason, and refuses without one).
import { el, nameOf, replaceChildren } from "../dom.js";
import { timeElement } from "../time.js";

export class StatusBar {
  constructor(node, { store, connection, notices, root, reload }) {
    this.node = node;
    this.reload = reload;
    this.store = store;
    this.connection = connection;
    this.notices = notices;
    this.root = root;
  }

  async move(status, extra = {}) {
    const ack = await this.connection.change("postmortem.set_status", { status, ...extra });
    if (ack.ok) this.store.acceptHeader(ack.postmortem);
    else this.notices.refused("The status did not change", ack.error);
  }

  async newRevision() {
    const ack = await this.connection.change("postmortem.new_revision", {});
    if (ack.ok) this.reload();
    else this.notices.refused("No new revision was started", ack.error);
  }

  button(text, onclick, primary = false) {
    return el("button", { type: "button", class: primary ? "primary" : null, onclick }, text);
  }

  controls(header) {
    const mayPublish = this.store.mayPublish;
    switch (header.status) {
      case "draft":
        return [this.button("Send for review", () => this.move("in_review"), true)];
      case "in_review":
        return [
          this.button("Back to draft", () => this.move("draft")),
          ...(mayPublish ? this.publishControls(header)
            : [el("span", { class: "hint" }, "The post-mortem owner or the Incident Commander publishes.")]),
        ];
      case "published":
        return [
          el("span", { class: "pm-frozen" }, "Published ", timeElement(header.published_at),
            ` by ${nameOf(header.published_by)}: this revision is frozen.`),
          mayPublish ? this.button("Start a new revision", () => this.newRevision()) : null,
        ];
      default:
        return [];
    }
  }

  publishControls(header) {
    const ends = header.review_ends_at ? new Date(header.review_ends_at) : null;
    if (!ends || ends <= new Date()) return [this.button("Publish", () => this.move("published"), true)];
    const reason = el("input", {
      id: "pm-early-reason", maxlength: "1000", class: "pm-early-reason",
      placeholder: "Why publish before the review period ends?",
    });
    return [
      el("label", { for: "pm-early-reason" }, "Review period until ", timeElement(header.review_ends_at), ": why publish now?"),
      reason,
      this.button("Publish", () => this.move("published", { reason: reason.value.trim() || null }), true),
    ];
  }

  render() {
    const header = this.store.header;
    if (!header) return;
    this.root.dataset.status = header.status;
    const suggestions = [...this.store.flags.values()].reduce((sum, flags) => sum + flags.length, 0);
    replaceChildren(this.node,
      el("span", { class: `pm-badge pm-badge-${header.status}` }, header.status_label),
      el("span", { class: "pm-revision" }, `Revision ${header.revision}`),
      ...this.controls(header),
      suggestions ? el("span", { class: "pm-suggestion-count" },
        `${suggestions} blameless suggestion${suggestions === 1 ? "" : "s"}; they never block publishing.`) : null);
  }
}
