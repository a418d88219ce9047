// Editing one timeline entry in place. The text is live (static/js/live-text/): everyone
// editing the entry types into one shared document and sees the others' carets; Enter or
// Save closes the editor, which records the burst of typing as one revision. The kind, the
// time and the fields are a private form sent with `timeline.edit`; the server merges them
// with changes made meanwhile, and a refused (overlapping) edit shows their values next to
// ours, which stay in the form. Others see "X is editing" (presence.editing).
import { el, nameOf } from "../dom.js";
import { LiveText } from "../live-text/live-text.js";
import { fromLocalInputValue, toLocalInputValue } from "../time.js";
import { KIND_LABELS, detailsForm, detailsSummary } from "./entry-details.js";

export class EntryEditor {
  constructor(entry, { store, config, connection, notices, onClose }) {
    this.base = entry;
    this.store = store;
    this.config = config;
    this.connection = connection;
    this.notices = notices;
    this.onClose = onClose;
    this.closed = false;
    this.closing = false;
    this.seenVersion = entry.version;
    this.node = this.build(entry);
    this.live = new LiveText(this.text, {
      connection, doc: `entry:${entry.id}`, onState: (state) => this.liveState(state),
    });
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
    el("label", { for: this.text.id }, "Text ", el("span", { class: "hint" },
      "shared live as you type; Enter saves, Shift+Enter for a new line, Esc closes")),
    this.text, this.detailsSlot, this.remote,
    el("div", { class: "editor-actions" },
      el("button", { type: "submit", class: "primary" }, "Save"),
      el("button", { type: "button", onclick: () => this.close() }, "Close")));
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

  liveState(state) {
    if (this.closing && state === "offline") {
      this.say("hint", "Offline: your text is kept here and saved when the room is back; the editor closes then.");
    }
  }

  /** The entry changed on the server: the text follows by itself; say who changed the rest. */
  remoteChanged(entry, change = {}) {
    if (entry.version <= this.seenVersion) return;
    this.seenVersion = entry.version;
    this.live.sawVersion(entry.version, change.live);
    if (change.live) return; // typing we watched happen, now recorded
    this.say("notice-inline", `${nameOf(change.actor, "Someone")} changed this entry while you were editing `
      + `(now version ${entry.version}). The text shows their change; your kind, time and fields `
      + "are kept, and saving merges them with theirs when they do not overlap.");
  }

  say(kind, ...content) {
    this.remote.replaceChildren(kind ? el("p", { class: kind }, ...content) : "");
  }

  /** What changed besides the text (that one is live). */
  changes() {
    const changes = {};
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
    if (this.closing) return;
    if (!this.text.value.trim()) {
      this.say("notice-inline", "An entry needs some text: write it, or close the editor to leave the entry as it was saved.");
      return;
    }
    const changes = this.changes();
    if (Object.keys(changes).length && !(await this.saveFields(changes))) return;
    await this.finish();
  }

  async saveFields(changes) {
    this.say("hint", this.connection.joined ? "Saving…" : "Offline: saved here, will be sent when the room is back.");
    const ack = await this.connection.change("timeline.edit", {
      entry_id: this.base.id, base_version: this.base.version, ...changes,
    }, { coalesceKey: `edit:${this.base.id}:${this.base.version}` });
    if (ack.ok) {
      this.store.acceptEntry(ack.entry);
      if (ack.merged) this.notices.show("info", "Your edit was merged with a change made meanwhile.");
      return true;
    }
    if (this.closed) {
      this.notices.refused("An edit you closed was not saved", ack.error);
    } else if (ack.error.code === "conflict" && ack.error.current) {
      this.conflicted(ack.error);
    } else {
      this.say(null);
      this.notices.refused("Edit not saved", ack.error);
    }
    return false;
  }

  // Overlapping edits of the kind, time or fields: nothing was changed. Show theirs; ours
  // stay in the form, and the next save starts from their version, so it replaces theirs
  // only because the user chose to.
  conflicted(error) {
    const current = error.current;
    this.store.acceptEntry(current);
    this.base = { ...current };
    const theirs = el("div", { class: "their-text" },
      `${KIND_LABELS[current.kind] || current.kind}, happened at ${new Date(current.occurred_at).toLocaleString()}`,
      detailsSummary(current));
    this.remote.replaceChildren(el("div", { class: "conflict", role: "alert" },
      el("p", {}, el("strong", {}, "Not saved: "), error.message || "someone changed the same part of this entry."),
      el("p", {}, `Their version (version ${current.version}):`), theirs,
      el("p", {}, "Your kind, time and fields are still in the form. Save again to replace theirs, or take theirs."),
      el("button", { type: "button", onclick: () => this.takeTheirs(current) }, "Use theirs")));
    this.notices.show("warn", "Edit conflict: your changes were kept in the editor.");
  }

  takeTheirs(current) {
    this.kind.value = current.kind;
    this.when.value = toLocalInputValue(new Date(current.occurred_at));
    this.renderDetails();
    this.say(null);
    this.focus();
  }

  /** Close: what was typed is sent first (after a drop: once the room is back). */
  async finish() {
    this.closing = true;
    this.text.readOnly = true; // what is typed after this would miss the recorded burst
    if (this.live.document.state !== "live") this.say("hint", "Saving…");
    this.liveState(this.live.document.state);
    const ack = await this.live.close();
    if (!ack.ok && !this.closed) this.notices.refused("The text was not recorded", ack.error);
    this.close();
  }

  close() {
    if (this.closed) return;
    if (!this.closing) {
      this.finish();
      return;
    }
    this.closed = true;
    this.connection.ask("presence.editing", { entry_id: null });
    this.onClose();
  }
}
