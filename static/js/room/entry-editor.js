// Editing one timeline entry in place. Others see "X is editing" (presence.editing); a
// change made by someone else meanwhile is announced without touching what is being
// typed; the server merges non-overlapping edits, and a refused (overlapping) edit shows
// the server's text next to the user's own, which stays in the box.
import { el, nameOf } from "../dom.js";
import { fromLocalInputValue, toLocalInputValue } from "../time.js";
import { KIND_LABELS, detailsForm } from "./entry-details.js";

export class EntryEditor {
  constructor(entry, { store, config, connection, notices, onClose }) {
    this.base = entry;
    this.store = store;
    this.config = config;
    this.connection = connection;
    this.notices = notices;
    this.onClose = onClose;
    this.closed = false;
    this.node = this.build(entry);
    connection.ask("presence.editing", { entry_id: entry.id });
  }

  build(entry) {
    const prefix = `edit-${entry.id}`;
    this.kind = el("select", { id: `${prefix}-kind`, onchange: () => this.renderDetails() },
      this.config.writable_kinds.map((kind) =>
        el("option", { value: kind, selected: kind === entry.kind }, KIND_LABELS[kind])));
    this.when = el("input", {
      type: "datetime-local", id: `${prefix}-when`, value: toLocalInputValue(new Date(entry.occurred_at)),
    });
    this.text = el("textarea", {
      id: `${prefix}-text`, rows: 3, maxlength: 10000, value: entry.text,
      onkeydown: (event) => this.onKey(event),
    });
    this.detailsSlot = el("div");
    this.remote = el("div", { class: "editor-remote", "aria-live": "polite" });
    this.renderDetails();
    return el("form", {
      class: "entry-editor", "aria-label": "Edit entry",
      onsubmit: (event) => { event.preventDefault(); this.save(); },
      onkeydown: (event) => { if (event.key === "Escape") this.close(); },
    },
    el("div", { class: "composer-row" },
      el("div", { class: "field" }, el("label", { for: this.kind.id }, "Kind"), this.kind),
      el("div", { class: "field" }, el("label", { for: this.when.id }, "Happened at"), this.when)),
    el("label", { for: this.text.id }, "Text ", el("span", { class: "hint" }, "Enter saves, Shift+Enter for a new line, Esc cancels")),
    this.text, this.detailsSlot, this.remote,
    el("div", { class: "editor-actions" },
      el("button", { type: "submit", class: "primary" }, "Save"),
      el("button", { type: "button", onclick: () => this.close() }, "Cancel")));
  }

  renderDetails() {
    const kind = this.kind.value;
    const details = kind === this.base.kind ? this.base.details || {} : {};
    this.details = detailsForm(kind, details, {
      choices: this.config.choices, participants: this.store.participants, idPrefix: `edit-${this.base.id}`,
    });
    this.detailsSlot.replaceChildren(this.details.node);
  }

  focus() {
    this.text.focus();
    this.text.setSelectionRange(this.text.value.length, this.text.value.length);
  }

  onKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.save();
    }
  }

  /** Someone else changed the entry: say so, keep what is being typed. */
  remoteChanged(entry, actor) {
    if (entry.version === this.base.version) return;
    this.remote.replaceChildren(el("p", { class: "notice-inline" },
      `${nameOf(actor, "Someone")} changed this entry while you were editing (now version ${entry.version}). `,
      "Your text is kept; saving merges it with theirs when the changes do not overlap."));
  }

  changes() {
    const changes = {};
    if (this.text.value !== this.base.text) changes.text = this.text.value;
    const kindChanged = this.kind.value !== this.base.kind;
    if (kindChanged) changes.kind = this.kind.value;
    const when = fromLocalInputValue(this.when.value);
    if (when && this.when.value !== toLocalInputValue(new Date(this.base.occurred_at))) {
      changes.occurred_at = when.toISOString();
    }
    const details = this.details.read();
    if (Object.keys(details).length) changes.details = details;
    return changes;
  }

  async save() {
    const changes = this.changes();
    if (Object.keys(changes).length === 0) return this.close();
    if (!changes.text && !this.text.value.trim()) return;
    const sentText = this.text.value;
    this.remote.replaceChildren(el("p", { class: "hint" },
      this.connection.joined ? "Saving…" : "Offline: saved here, will be sent when the room is back."));
    const ack = await this.connection.change("timeline.edit", {
      entry_id: this.base.id, base_version: this.base.version, ...changes,
    }, { coalesceKey: `edit:${this.base.id}:${this.base.version}` });
    if (ack.ok) {
      this.store.acceptEntry(ack.entry);
      if (ack.merged) this.notices.show("info", "Your edit was merged with a change made meanwhile.");
      if (this.closed) return;
      if (this.text.value === sentText) this.close();
      else this.base = ack.entry;
    } else if (this.closed) {
      this.notices.refused("An edit you closed was not saved", ack.error);
    } else if (ack.error.code === "conflict" && ack.error.current) {
      this.conflicted(ack.error);
    } else {
      this.remote.replaceChildren();
      this.notices.refused("Edit not saved", ack.error);
    }
  }

  // Overlapping edits: nothing was changed. Show both texts; the next save starts from
  // the server's version, so it replaces theirs only because the user chose to.
  conflicted(error) {
    const current = error.current;
    this.store.acceptEntry(current);
    const mine = this.text.value;
    this.base = current;
    this.remote.replaceChildren(el("div", { class: "conflict", role: "alert" },
      el("p", {}, el("strong", {}, "Not saved: "), error.message || "someone changed the same part of this entry."),
      el("p", {}, `Their version (version ${current.version}):`),
      el("blockquote", { class: "their-text" }, current.text),
      el("p", {}, "Your text is still in the box. Save again to replace theirs, or take theirs."),
      el("button", { type: "button", onclick: () => { this.text.value = current.text; this.focus(); } }, "Use their text"),
      el("button", { type: "button", onclick: () => { this.text.value = mine; this.focus(); } }, "Back to my text")));
    this.notices.show("warn", "Edit conflict: your text was kept in the editor.");
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.connection.ask("presence.editing", { entry_id: null });
    this.onClose();
  }
}
