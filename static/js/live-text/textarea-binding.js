// A <textarea> bound to a Y.Text both ways. Typing becomes the smallest splice, applied in
// one transaction with our own origin; others' changes rewrite the textarea's value and put
// our caret and selection back where they belong, through Yjs relative positions (they
// follow the characters, not the indexes). Undo and redo undo our own typing only.
//
// The textarea is left alone while it cannot follow the document: before the document is
// open (it shows the record's text, and what is typed then is kept) and during an IME
// composition (rewriting the value would break it). Then what was typed is moved onto
// what others wrote meanwhile (rebaseSplice) when it can be applied.
import * as Y from "../../vendor/yjs/yjs.mjs";
import { rebaseSplice, spliceBetween } from "./text-diff.js";

/** The origin of our own typing. */
export const TYPED_HERE = Symbol("typed here");

const isUndo = (event) => (event.ctrlKey || event.metaKey) && !event.altKey
  && event.key.toLowerCase() === "z" && !event.shiftKey;
const isRedo = (event) => (event.ctrlKey || event.metaKey) && !event.altKey
  && ((event.key.toLowerCase() === "z" && event.shiftKey) || (event.key.toLowerCase() === "y" && !event.metaKey));

export class TextareaBinding {
  /** onChange(): the text or our selection may have moved (redraw cursors, send ours). */
  constructor(textarea, { onChange }) {
    this.textarea = textarea;
    this.onChange = onChange;
    this.shown = textarea.value; // the document's text the textarea last agreed with
    this.ready = false;
    this.composing = false;
    this.savedSelection = null;
    this.listeners = {
      input: () => this.typed(),
      compositionstart: () => { this.composing = true; },
      compositionend: () => { this.composing = false; this.typed(); },
      keydown: (event) => this.keydown(event),
      beforeinput: (event) => this.beforeInput(event),
    };
    for (const [name, listener] of Object.entries(this.listeners)) textarea.addEventListener(name, listener);
    this.observer = (event, transaction) => this.changed(transaction);
    this.beforeTransaction = (transaction) => this.remember(transaction);
  }

  /** Follow `doc`'s text `text` (again after the document had to start over). */
  attach(doc, text) {
    this.detachDoc();
    this.doc = doc;
    this.text = text;
    this.ready = false;
    this.undoManager = new Y.UndoManager(text, { trackedOrigins: new Set([TYPED_HERE]) });
    text.observe(this.observer);
    doc.on("beforeTransaction", this.beforeTransaction);
  }

  /** The document is open: from now on the textarea shows it. */
  opened() {
    this.ready = true;
    this.typed();
    this.show();
  }

  detachDoc() {
    if (!this.doc) return;
    this.text.unobserve(this.observer);
    this.doc.off("beforeTransaction", this.beforeTransaction);
    this.undoManager.destroy();
    this.doc = null;
  }

  destroy() {
    this.detachDoc();
    for (const [name, listener] of Object.entries(this.listeners)) this.textarea.removeEventListener(name, listener);
  }

  /** Typed into the textarea before the document could take it. */
  get typedBeforeOpen() {
    return !this.ready && this.textarea.value !== this.shown;
  }

  /** Apply what was typed since the textarea last agreed with the document. */
  typed() {
    if (!this.ready || this.composing || !this.doc) return;
    const value = this.textarea.value;
    if (value === this.shown) return;
    const splice = spliceBetween(this.shown, value, this.textarea.selectionEnd);
    const current = this.text.toString();
    const splices = current === this.shown ? [splice] : rebaseSplice(splice, this.shown, current);
    this.doc.transact(() => {
      for (const { index, remove, insert } of splices) {
        if (remove) this.text.delete(index, remove);
        if (insert) this.text.insert(index, insert);
      }
    }, TYPED_HERE);
    if (current === this.shown) this.shown = value;
    else this.show(); // theirs was not on screen yet
    this.onChange();
  }

  // Before others' changes land, pin our selection to the characters around it.
  remember(transaction) {
    if (transaction.origin === TYPED_HERE || !this.ready || this.composing) return;
    if (this.textarea.value !== this.text.toString()) return;
    const { selectionStart, selectionEnd, selectionDirection } = this.textarea;
    // A caret sticks to the character before it, so two people typing at one spot each
    // keep their own words together instead of interleaving letters.
    const startAssoc = selectionStart === selectionEnd ? -1 : 0;
    this.savedSelection = {
      start: Y.createRelativePositionFromTypeIndex(this.text, selectionStart, startAssoc),
      end: Y.createRelativePositionFromTypeIndex(this.text, selectionEnd, -1),
      direction: selectionDirection,
    };
  }

  changed(transaction) {
    if (transaction.origin === TYPED_HERE) return;
    if (this.ready && !this.composing) this.show();
    this.onChange();
  }

  /** Show the document's text, keeping our selection and scroll where they were. */
  show() {
    const next = this.text.toString();
    const textarea = this.textarea;
    if (textarea.value === next) {
      this.shown = next;
      this.savedSelection = null;
      return;
    }
    const saved = this.savedSelection;
    this.savedSelection = null;
    const absolute = (position, fallback) => {
      const found = position && Y.createAbsolutePositionFromRelativePosition(position, this.doc);
      return found ? found.index : Math.min(fallback, next.length);
    };
    const start = absolute(saved?.start, textarea.selectionStart);
    const end = absolute(saved?.end, textarea.selectionEnd);
    const { scrollTop, scrollLeft } = textarea;
    textarea.value = next;
    this.shown = next;
    textarea.setSelectionRange(start, Math.max(start, end), saved?.direction || "none");
    textarea.scrollTop = scrollTop;
    textarea.scrollLeft = scrollLeft;
  }

  // Setting the value empties the textarea's own undo history; ours undoes only what was
  // typed here, never someone else's words.
  keydown(event) {
    if (isUndo(event)) this.undo(event, "undo");
    else if (isRedo(event)) this.undo(event, "redo");
  }

  beforeInput(event) {
    if (event.inputType === "historyUndo") this.undo(event, "undo");
    else if (event.inputType === "historyRedo") this.undo(event, "redo");
  }

  undo(event, which) {
    event.preventDefault();
    if (!this.ready || this.composing || this.textarea.readOnly) return;
    this.typed();
    this.undoManager[which]();
  }

  /** Our selection as encoded relative positions (for `live_text.cursor`). */
  selection() {
    if (!this.ready || this.textarea.value !== this.text.toString()) return null;
    const { selectionStart, selectionEnd } = this.textarea;
    const encode = (index, assoc) => Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(this.text, index, assoc));
    return { anchor: encode(selectionStart, selectionStart === selectionEnd ? -1 : 0), head: encode(selectionEnd, -1) };
  }
}
