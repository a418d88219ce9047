// A <textarea> made live: co-edited character by character with everyone who has the same
// document open (docs/protocol-live-text.md), their carets and selections shown with their
// names, ours sent to them. Pages create one per text being edited:
//
//   const live = new LiveText(textarea, { connection, doc: `entry:${id}`, onState });
//   live.sawVersion(entry.version, event.data.live);  // on timeline.edited for the entry
//   await live.commit();  // record the text as a revision now, keep editing
//   await live.close();   // done: everything typed is sent, then the burst is recorded
//
// What the user must know is said under the textarea: offline (the typing is kept and sent
// when the room is back), a change too large (given back to copy), read-only.
import { el, replaceChildren } from "../dom.js";
import { fromBase64, toBase64 } from "../../vendor/lib0/buffer.js";
import * as Y from "../../vendor/yjs/yjs.mjs";
import { RemoteCursors } from "./cursors.js";
import { LiveDocument } from "./document.js";
import { TextareaBinding } from "./textarea-binding.js";

const CURSOR_INTERVAL_MS = 100; // ours goes out at most ten times a second

export class LiveText {
  /** onState(state): "opening", "live", "sending", "offline" or "read-only". */
  constructor(textarea, { connection, doc, onState = () => {} }) {
    this.textarea = textarea;
    this.onState = onState;
    this.remote = new Map(); // client -> {client, user, anchor, head} (relative positions)
    this.cursorTimer = null;
    this.cursorDue = false;
    this.message = el("div", { class: "live-text-message", "aria-live": "polite" });
    this.cursors = new RemoteCursors(textarea);
    this.cursors.node.after(this.message);
    this.binding = new TextareaBinding(textarea, { onChange: () => this.changed() });
    this.document = new LiveDocument(connection, doc, {
      opened: (opening) => this.opened(opening),
      rejoined: () => this.rejoined(),
      cursor: (message) => this.remoteCursor(message),
      reset: (lostText) => this.startedOver(lostText),
      state: (state) => this.stateChanged(state),
      problem: (code, error) => this.problem(code, error),
    });
    this.binding.attach(this.document.doc, this.document.text);
    this.focusListeners = {
      focus: () => this.ourCursorMoved(),
      blur: () => this.blurred(),
      select: () => this.ourCursorMoved(),
      keyup: () => this.ourCursorMoved(),
      mouseup: () => this.ourCursorMoved(),
    };
    for (const [name, listener] of Object.entries(this.focusListeners)) textarea.addEventListener(name, listener);
    this.document.start();
  }

  get node() {
    return this.cursors.node;
  }

  sawVersion(version, live = false) {
    this.document.sawVersion(version, live);
  }

  commit() {
    return this.document.commit();
  }

  /** Send what is left, leave the document (the server records the burst), unbind. */
  async close() {
    clearTimeout(this.cursorTimer);
    this.document.sendCursor(null, null);
    // Never opened and nothing typed: there is nothing to send, so do not wait for the room.
    if (!this.document.opened && !this.binding.typedBeforeOpen) this.document.abandon();
    const ack = await this.document.close();
    this.destroy();
    return ack;
  }

  destroy() {
    clearTimeout(this.cursorTimer);
    for (const [name, listener] of Object.entries(this.focusListeners)) this.textarea.removeEventListener(name, listener);
    this.binding.destroy();
    this.cursors.destroy();
    this.message.remove();
  }

  opened({ first }) {
    this.binding.opened();
    if (first || this.message.dataset.kind === "offline") this.say(null);
    this.ourCursorMoved();
    this.drawCursors();
  }

  // Back after a drop: who left meanwhile was announced while we could not hear it. Our
  // open is announced to those still here (a null cursor), and they send theirs again.
  rejoined() {
    this.remote.clear();
    this.drawCursors();
  }

  changed() {
    this.drawCursors();
    this.ourCursorMoved();
  }

  stateChanged(state) {
    if (state === "read-only") this.textarea.readOnly = true;
    if (state === "offline") {
      this.say("offline", "Offline: keep typing, your text is kept here and sent when the room is back.");
    } else if (["offline", "slow"].includes(this.message.dataset.kind) && state === "live") {
      this.say(null);
    }
    this.onState(state);
  }

  problem(code, error) {
    if (code === "forbidden" || code === "invalid" || code === "not_found") {
      this.textarea.readOnly = true;
      this.remote.clear();
      this.drawCursors();
      this.say("read-only", error.message || "This text can no longer be edited.");
    } else if (code === "rate_limited") {
      this.say("slow", "Typing faster than the server takes it: the rest follows in a moment.");
    }
  }

  // The server refused what we typed for good (too long): the textarea goes back to the
  // server's text, and the dropped text stays here to copy from.
  startedOver(lostText) {
    this.binding.attach(this.document.doc, this.document.text);
    const kept = el("textarea", { readonly: true, rows: 3, class: "live-text-lost", "aria-label": "Your text, not saved" });
    kept.value = lostText;
    this.say("too-large", el("p", {},
      "That change made the text too long, so it was not saved; the box shows the saved text again. ",
      "Your version is below to copy from."), kept,
    el("button", { type: "button", class: "link-button", onclick: () => this.say(null) }, "Done"));
  }

  say(kind, ...content) {
    if (!kind) {
      delete this.message.dataset.kind;
      replaceChildren(this.message);
      return;
    }
    this.message.dataset.kind = kind;
    replaceChildren(this.message, el("div", { class: "notice-inline", role: kind === "offline" ? null : "alert" }, ...content));
  }

  remoteCursor(message) {
    if (message.anchor === null || message.head === null) {
      // Someone left, blurred, or just opened the document: a newcomer sees our cursor
      // only if we send it again.
      this.remote.delete(message.client);
      this.resendCursor();
    } else {
      const decode = (value) => Y.decodeRelativePosition(fromBase64(value));
      this.remote.set(message.client, {
        client: message.client, user: message.user, anchor: decode(message.anchor), head: decode(message.head),
      });
    }
    this.drawCursors();
  }

  drawCursors() {
    const doc = this.document.doc;
    const at = (position) => Y.createAbsolutePositionFromRelativePosition(position, doc)?.index ?? null;
    const cursors = [];
    for (const cursor of this.remote.values()) {
      const anchor = at(cursor.anchor);
      const head = at(cursor.head);
      if (anchor === null || head === null) continue;
      cursors.push({
        client: cursor.client, user: cursor.user, head,
        from: Math.min(anchor, head), to: Math.max(anchor, head),
      });
    }
    // Until the textarea shows the document, positions in it would point at other text.
    const inStep = this.textarea.value === this.document.text.toString();
    this.cursors.show(this.textarea.value, inStep ? cursors : []);
  }

  ourCursorMoved() {
    // Putting our selection back after others' typing fires `select` on an unfocused box too.
    if (document.activeElement !== this.textarea) return;
    if (this.cursorTimer) {
      this.cursorDue = true;
      return;
    }
    this.sendCursor();
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = null;
      if (this.cursorDue) this.ourCursorMoved();
    }, CURSOR_INTERVAL_MS);
  }

  resendCursor() {
    clearTimeout(this.cursorTimer);
    this.cursorTimer = null;
    this.ourCursorMoved();
  }

  sendCursor() {
    this.cursorDue = false;
    const selection = this.binding.selection();
    if (selection) this.document.sendCursor(toBase64(selection.anchor), toBase64(selection.head));
  }

  blurred() {
    clearTimeout(this.cursorTimer);
    this.cursorTimer = null;
    this.cursorDue = false;
    this.document.sendCursor(null, null);
  }
}
