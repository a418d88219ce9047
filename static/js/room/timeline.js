// The scribe log, newest first. Entries redraw when they change, except one being edited:
// its editor stays as typed and is told about the change instead. Each entry carries its
// two clocks, its fields, its evidence, "X is editing", whether observers see it, and its
// actions.
import { el, linkified, nameOf, replaceChildren } from "../dom.js";
import { formatLocal, timeElement } from "../time.js";
import { KIND_LABELS, detailsSummary } from "./entry-details.js";
import { EntryEditor } from "./entry-editor.js";

const CLOCKS_DIFFER_MS = 60 * 1000;

export class Timeline {
  constructor(list, { store, config, connection, notices, evidence }) {
    this.list = list;
    this.store = store;
    this.config = config;
    this.connection = connection;
    this.notices = notices;
    this.evidence = evidence;
    this.nodes = new Map();
    this.editors = new Map();
    this.lastChange = new Map();
    store.subscribe((changed) => this.update(changed));
  }

  // Who may share changes with the roles: redraw every entry's actions then.
  rolesChanged() {
    const mayShare = this.store.iMayCommunicate();
    if (mayShare === this.mayShare) return;
    this.mayShare = mayShare;
    for (const id of this.nodes.keys()) this.renderEntry(id);
  }

  update(changed) {
    const parts = changed.parts;
    if (parts.has("roles")) this.rolesChanged();
    if (parts.has("timeline") || parts.has("evidence")) {
      for (const id of changed.entries) this.renderEntry(id);
      this.arrange();
    } else if (parts.has("presence")) {
      for (const id of changed.entries) this.renderMarker(id);
    }
  }

  /** Who made an entry's latest change, and whether it was live typing (its editor says). */
  noteChange(entryId, event) {
    this.lastChange.set(entryId, { actor: event.actor, live: Boolean(event.data.live) });
  }

  renderEntry(id) {
    const entry = this.store.entries.get(id);
    if (!entry) {
      this.nodes.get(id)?.remove();
      this.nodes.delete(id);
      return;
    }
    const editor = this.editors.get(id);
    if (editor) {
      editor.remoteChanged(entry, this.lastChange.get(id));
      this.renderMarker(id);
      return;
    }
    const node = this.nodes.get(id) || el("li", { id: `entry-${id}`, tabindex: "-1", dataset: { entryId: id } });
    node.className = `entry kind-${entry.kind}${entry.deleted ? " deleted" : ""}${entry.pending ? " pending" : ""}`;
    const focusedLabel = node.contains(document.activeElement) ? controlKey(document.activeElement) : null;
    replaceChildren(node, this.head(entry), this.body(entry), this.evidence.thumbnails(id),
      this.actions(entry), el("div", { class: "entry-history" }));
    this.nodes.set(id, node);
    if (focusedLabel !== null) restoreFocus(node, focusedLabel);
  }

  head(entry) {
    const occurred = timeElement(entry.occurred_at);
    occurred.classList.add("occurred");
    const written = Math.abs(Date.parse(entry.recorded_at) - Date.parse(entry.occurred_at)) > CLOCKS_DIFFER_MS
      ? el("span", { class: "recorded" }, "written ", timeElement(entry.recorded_at))
      : null;
    return el("div", { class: "entry-head" },
      el("span", { class: `kind-badge kind-${entry.kind}` }, KIND_LABELS[entry.kind] || entry.kind),
      occurred, written,
      el("span", { class: "author" }, nameOf(entry.author, "Incident Room")),
      entry.version > 1 ? el("span", { class: "edited", title: `version ${entry.version}` }, "edited") : null,
      entry.pending ? el("span", { class: "pending-mark" }, "sending…") : null,
      entry.deleted ? el("span", { class: "deleted-mark" }, "deleted") : null,
      seenByObservers(entry) ? el("span", { class: "shared-mark", title: "Observers with a link see this entry" }, "Shared with observers") : null,
      el("span", { class: "editing-marker", "aria-live": "polite" }, this.editingText(entry.id)));
  }

  body(entry) {
    return el("div", { class: "entry-body" },
      el("p", { class: "entry-text" }, ...linkified(entry.text)), detailsSummary(entry));
  }

  editingText(id) {
    const editors = this.store.editorsOf(id);
    if (editors.length === 0) return "";
    return `${editors.map((user) => nameOf(user)).join(", ")} ${editors.length === 1 ? "is" : "are"} editing`;
  }

  renderMarker(id) {
    const marker = this.nodes.get(id)?.querySelector(".editing-marker");
    if (marker) marker.textContent = this.editingText(id);
  }

  actions(entry) {
    if (entry.pending) return null;
    const label = (what) => `${what} entry from ${formatLocal(new Date(entry.occurred_at))}`;
    const editable = this.config.writable_kinds.includes(entry.kind);
    const buttons = [];
    if (entry.deleted) {
      // Just deleted here: the same button, named as the undo it is, where the Delete was.
      const undo = this.justDeleted?.id === entry.id && this.justDeleted.version === entry.version;
      const restore = this.action(undo ? "Undo delete" : "Restore", label(undo ? "Undo delete of" : "Restore"),
        () => this.change("timeline.restore", entry, "Entry not restored"));
      restore.dataset.control = "delete";
      buttons.push(restore);
    } else {
      if (editable) {
        buttons.push(this.action("Edit", label("Edit"), () => this.edit(entry.id)));
        const remove = this.action("Delete", label("Delete"), () => this.remove(entry));
        remove.dataset.control = "delete";
        buttons.push(remove);
      }
      buttons.push(this.evidence.attachButton(entry.id, label("Attach image to")));
      if (this.store.iMayCommunicate() && entry.kind !== "update") {
        const verb = entry.shareable ? "Stop sharing" : "Share with observers";
        const toggle = this.action(verb, label(verb), () => this.share(entry, !entry.shareable));
        toggle.dataset.control = "share";
        buttons.push(toggle);
      }
    }
    buttons.push(this.action("History", label("Show history of"), () => this.toggleHistory(entry.id)));
    buttons.push(this.action("Copy link", label("Copy link to"), () => this.copyLink(entry.id)));
    return el("div", { class: "entry-actions" }, buttons);
  }

  action(text, label, onclick) {
    return el("button", { type: "button", class: "link-button", "aria-label": label, onclick }, text);
  }

  async change(name, entry, failure) {
    const ack = await this.connection.change(name, { entry_id: entry.id, base_version: entry.version });
    if (ack.ok) this.store.acceptEntry(ack.entry);
    else this.notices.refused(failure, ack.error);
    return ack;
  }

  /** Delete, then offer the undo in place, focused, so Enter brings the entry back. */
  async remove(entry) {
    this.justDeleted = { id: entry.id, version: entry.version + 1 };
    const ack = await this.change("timeline.delete", entry, "Entry not deleted");
    if (!ack.ok) this.justDeleted = null;
  }

  // Sharing is not an edit (the version stays), so an older ack must not undo a newer
  // event: take the ack's entry only if no later event has arrived.
  async share(entry, shareable) {
    const ack = await this.connection.change("timeline.share", { entry_id: entry.id, shareable });
    if (!ack.ok) return this.notices.refused(shareable ? "Entry not shared" : "Entry still shared", ack.error);
    if (ack.seq > this.connection.seq) this.store.acceptEntry(ack.entry);
  }

  edit(id) {
    const node = this.nodes.get(id);
    const entry = this.store.entries.get(id);
    const editor = new EntryEditor(entry, {
      store: this.store, config: this.config, connection: this.connection, notices: this.notices,
      onClose: () => {
        this.editors.delete(id);
        this.renderEntry(id);
        this.nodes.get(id)?.querySelector(".entry-actions button")?.focus();
      },
    });
    this.editors.set(id, editor);
    node.querySelector(".entry-body").replaceWith(editor.node);
    node.querySelector(".entry-actions")?.remove();
    editor.focus();
  }

  async toggleHistory(id) {
    const box = this.nodes.get(id).querySelector(".entry-history");
    if (box.childElementCount) return box.replaceChildren();
    const ack = await this.connection.ask("timeline.history", { entry_id: id });
    if (!ack.ok) return this.notices.refused("History not loaded", ack.error);
    box.replaceChildren(el("ol", { class: "history", "aria-label": "Entry history" },
      ack.revisions.map((revision) => el("li", {},
        el("span", { class: "history-head" }, `v${revision.version} ${revision.action} by ${nameOf(revision.actor)}, `,
          timeElement(revision.at), changedFields(revision)),
        revision.before?.text !== revision.after?.text
          ? el("span", { class: "history-text" }, revision.after.text) : null))));
  }

  async copyLink(id) {
    const url = `${location.origin}${location.pathname}#entry-${id}`;
    try {
      await navigator.clipboard.writeText(url);
      this.notices.show("info", "Link to the entry copied.");
    } catch {
      this.notices.show("info", "Copy this link:", el("input", { value: url, readonly: true, "aria-label": "Link to the entry" }));
    }
  }

  // Put the nodes in order (newest first) without moving more than needed, so a focused
  // editor keeps its focus and caret.
  arrange() {
    const focused = document.activeElement;
    const selection = focused && "selectionStart" in focused
      ? [focused.selectionStart, focused.selectionEnd] : null;
    const ordered = this.store.orderedEntries().reverse().map((entry) => this.nodes.get(entry.id)).filter(Boolean);
    ordered.forEach((node, index) => {
      if (this.list.children[index] !== node) this.list.insertBefore(node, this.list.children[index] || null);
    });
    if (focused && document.activeElement !== focused && this.list.contains(focused)) {
      focused.focus();
      if (selection) focused.setSelectionRange(...selection);
    }
  }
}

// Posted updates are for stakeholders: observers see them whatever `shareable` says.
function seenByObservers(entry) {
  return !entry.deleted && !entry.pending && (entry.shareable || entry.kind === "update");
}

const FIELD_NAMES = { kind: "kind", text: "text", occurred_at: "time it happened", details: "fields" };

// " (changed kind, text)" for an edit; nothing for create, delete and restore.
function changedFields(revision) {
  if (revision.action !== "edit" || !revision.before) return "";
  const changed = Object.keys(FIELD_NAMES).filter(
    (name) => JSON.stringify(revision.before[name]) !== JSON.stringify(revision.after[name]),
  );
  return changed.length ? ` (changed ${changed.map((name) => FIELD_NAMES[name]).join(", ")})` : "";
}

// A control's identity across redraws: its label, or its `data-control` when the label
// changes with the state (Share / Stop sharing).
function controlKey(control) {
  return control.dataset?.control || control.getAttribute("aria-label");
}

// After a redraw, focus the control that had it, or the entry itself, so a keyboard user
// pressing Delete or Restore stays where they were.
function restoreFocus(node, key) {
  const again = [...node.querySelectorAll("button")].find((b) => controlKey(b) === key);
  (again || node).focus();
}
