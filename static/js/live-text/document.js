// One live text document (docs/protocol-live-text.md) as this browser holds it: a Y.Doc
// kept in step with the server over the room's connection.
//
// - opening sends our state vector, applies what the server sends back and then sends what
//   the server lacks, so it is also how we catch up after a drop, a `too_large`, or an edit
//   made outside live text: nothing typed offline is lost, nothing is applied twice;
// - our changes go out one update at a time; what is typed while one is in flight is
//   merged (Y.mergeUpdates) into the next; a refused or unanswered update is merged back
//   and goes again;
// - requests (open, update, close) go one at a time, in order, so an ack always answers
//   the state it was sent from;
// - what the server does not hold yet is also kept in sessionStorage, so a reload while
//   offline loses nothing: the document picks it up when it is opened again.
import { fromBase64, toBase64 } from "../../vendor/lib0/buffer.js";
import * as Y from "../../vendor/yjs/yjs.mjs";

/** The origin of changes that came from the server: applied here, never sent back. */
export const FROM_SERVER = Symbol("from the server");
const KEEP_DELAY_MS = 300;

// The server keeps one membership per connection and document: a `live_text.close` that
// arrives after a new `open` of the same document (an editor closed and opened again, a
// page redrawing its sections) would take the new one out. So a document waits for the
// last close of its name on its connection before it opens.
const closing = new WeakMap(); // connection -> Map(name -> Promise of the close's ack)

function lastClose(connection, name) {
  return closing.get(connection)?.get(name) || Promise.resolve();
}

function noteClose(connection, name, promise) {
  if (!closing.has(connection)) closing.set(connection, new Map());
  const names = closing.get(connection);
  names.set(name, promise);
  promise.finally(() => {
    if (names.get(name) === promise) names.delete(name);
  });
}

const RETRY_DELAY_MS = 2000;
// Y.encodeStateAsUpdate of nothing new: no structs, an empty delete set.
const EMPTY_UPDATE_BYTES = 2;

export class LiveDocument {
  /**
   * listeners: opened({version, first}), rejoined(), cursor(message), reset(lostText),
   * state(state), problem(code, error). `state` is "opening", "live", "sending",
   * "offline" or "read-only".
   */
  constructor(connection, name, listeners) {
    this.connection = connection;
    this.name = name;
    this.listeners = listeners;
    this.version = 0;
    this.pending = null; // our changes not yet sent, merged into one update
    this.needsOpen = true;
    this.opened = false;
    this.readOnly = false;
    this.closed = false;
    this.busy = false;
    this.retryTimer = null;
    this.drainWaiters = [];
    this.started = false;
    this.storageKey = `incident-room:live-text:${connection.incidentId}:${name}`;
    this.keepTimer = null;
    this.makeDoc();
    this.restore();
    this.stops = [
      connection.on("live_text.update", (message) => this.received(message)),
      connection.on("live_text.cursor", (message) => {
        if (message.doc === this.name) this.listeners.cursor?.(message);
      }),
      connection.onJoined(() => {
        this.listeners.rejoined?.();
        this.reopen();
      }),
    ];
  }

  makeDoc() {
    this.doc = new Y.Doc();
    this.text = this.doc.getText("text");
    this.doc.on("update", (update, origin) => {
      if (origin !== FROM_SERVER) this.queue(update);
    });
  }

  async start() {
    await lastClose(this.connection, this.name);
    this.started = true;
    this.pump();
  }

  queue(update) {
    this.pending = this.pending ? Y.mergeUpdates([this.pending, update]) : update;
    this.keepSoon();
    this.pump();
  }

  // Typing left unsent by an earlier page (a reload while offline): applied as our own
  // change, so it goes to the server with the first open.
  restore() {
    let kept = null;
    try {
      kept = sessionStorage.getItem(this.storageKey);
    } catch {
      return; // storage disabled: memory only
    }
    if (kept) Y.applyUpdate(this.doc, fromBase64(kept));
  }

  keepSoon() {
    if (this.keepTimer) return;
    this.keepTimer = setTimeout(() => {
      this.keepTimer = null;
      if (!this.closed) this.keep(toBase64(Y.encodeStateAsUpdate(this.doc)));
    }, KEEP_DELAY_MS);
  }

  keep(value) {
    try {
      if (value) sessionStorage.setItem(this.storageKey, value);
      else sessionStorage.removeItem(this.storageKey);
    } catch {
      // Storage full or disabled: the text still lives in this page.
    }
  }

  received(message) {
    if (message.doc !== this.name || this.closed) return;
    Y.applyUpdate(this.doc, fromBase64(message.update), FROM_SERVER);
  }

  /** Join the document again (after a drop, or an edit made outside live text). */
  reopen() {
    if (this.closed || this.readOnly) return;
    this.needsOpen = true;
    this.pump();
  }

  /** The record's version from a `timeline.edited` / `postmortem.section_edited` event. */
  sawVersion(version, live) {
    if (version <= this.version) return;
    // A live commit only records what we were sent already; any other edit was written
    // into the document without being relayed, so open again to fetch it.
    if (live && this.opened && !this.needsOpen) this.version = version;
    else this.reopen();
  }

  get state() {
    if (this.readOnly) return "read-only";
    if (!this.connection.joined) return "offline";
    if (!this.opened) return "opening";
    return this.pending || this.busy ? "sending" : "live";
  }

  report() {
    this.listeners.state?.(this.state);
    if (!this.busy && !this.pending && !this.needsOpen) {
      // The server holds everything: nothing to keep for a reload.
      clearTimeout(this.keepTimer);
      this.keepTimer = null;
      this.keep(null);
      for (const resolve of this.drainWaiters.splice(0)) resolve();
    }
  }

  /** Resolves once the server holds everything typed here (waits through a drop). */
  whenSent() {
    if (this.readOnly || (!this.busy && !this.pending && !this.needsOpen)) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  async pump() {
    if (!this.started || this.busy || this.closed || this.readOnly) return;
    clearTimeout(this.retryTimer);
    this.busy = true;
    this.report();
    try {
      while (!this.closed && !this.readOnly && this.connection.joined) {
        const next = this.needsOpen ? () => this.open() : this.pending ? () => this.send() : null;
        if (!next || !(await next())) break;
      }
    } finally {
      this.busy = false;
      this.report();
    }
  }

  async open() {
    const stateVector = toBase64(Y.encodeStateVector(this.doc));
    const ack = await this.connection.ask("live_text.open", { doc: this.name, state_vector: stateVector });
    if (this.closed) return false;
    if (!ack.ok) return this.refused(ack.error, "open");
    Y.applyUpdate(this.doc, fromBase64(ack.update), FROM_SERVER);
    // What the server lacks: everything typed offline, in flight when the line dropped, or
    // typed while this open was on its way.
    const missing = Y.encodeStateAsUpdate(this.doc, fromBase64(ack.state_vector));
    this.pending = missing.length > EMPTY_UPDATE_BYTES ? missing : null;
    this.needsOpen = false;
    this.version = Math.max(this.version, ack.version);
    const first = !this.opened;
    this.opened = true;
    this.listeners.opened?.({ version: ack.version, first });
    return true;
  }

  async send() {
    const update = this.pending;
    this.pending = null;
    const ack = await this.connection.ask("live_text.update", { doc: this.name, update: toBase64(update) });
    if (ack.ok || this.closed) return !this.closed;
    // Not stored: it goes again, merged with what was typed meanwhile, unless refused for good.
    this.pending = this.pending ? Y.mergeUpdates([update, this.pending]) : update;
    return this.refused(ack.error, "update");
  }

  /** Handle a refusal; true to go on with the next request at once. */
  refused(error, what) {
    switch (error.code) {
      case "offline": // not joined, or no answer: open again once the room is back
        this.needsOpen = true;
        if (this.connection.joined) this.retryLater(RETRY_DELAY_MS);
        return false;
      case "rate_limited":
        this.listeners.problem?.("rate_limited", error);
        this.retryLater((error.retry_after || 1) * 1000);
        return false;
      case "too_large":
        this.startOver(error);
        return true;
      case "forbidden":
        // An update sent as the line dropped can reach the server before our `join`; the
        // open that follows says whether the document is really read-only.
        if (what === "update") {
          this.needsOpen = true;
          return true;
        }
        this.readOnly = true;
        this.listeners.problem?.("forbidden", error);
        return false;
      case "invalid":
        // Bytes the server cannot read: ours are broken, take the server's.
        if (error.field === "update" || error.field === "state_vector") {
          this.startOver(error);
          return true;
        }
        // A published post-mortem (`status`), or not a document name: nothing to edit.
        this.readOnly = true;
        this.listeners.problem?.("invalid", error);
        return false;
      case "not_found": // the entry or the post-mortem is not there (any more)
        this.readOnly = true;
        this.listeners.problem?.("not_found", error);
        return false;
      default: // internal and the like: nothing was stored, try again
        this.needsOpen = true;
        this.retryLater(RETRY_DELAY_MS);
        return false;
    }
  }

  retryLater(delay) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.pump(), delay);
  }

  // The server will never take what we hold (too long, or not an update it can read): a
  // Y.Doc cannot forget its own changes, so start from a new, empty one and take the
  // server's. The text that is dropped goes to the page, which gives it back to copy.
  startOver(error) {
    const lostText = this.text.toString();
    this.keep(null);
    this.doc.destroy();
    this.pending = null;
    this.makeDoc();
    this.needsOpen = true;
    this.listeners.reset?.(lostText);
    this.listeners.problem?.(error.code, error);
  }

  /** Our caret/selection (encoded relative positions, or nulls): relayed, never stored. */
  sendCursor(anchor, head) {
    if (!this.opened || this.needsOpen || this.readOnly || this.closed) return;
    this.connection.ask("live_text.cursor", { doc: this.name, anchor, head });
  }

  /** Leave the document once everything typed is sent; the server commits the burst. */
  close() {
    // Noted at once: a new document of this name may be created before this one is sent.
    const closed = this.leave();
    noteClose(this.connection, this.name, closed);
    return closed;
  }

  async leave() {
    await this.whenSent();
    if (this.closed) return { ok: true };
    this.abandon();
    if (this.readOnly || !this.opened) return { ok: true };
    const ack = await this.connection.ask("live_text.close", { doc: this.name });
    this.doc.destroy();
    return ack;
  }

  /** Stop at once, sending nothing more (nothing here that the server lacks). */
  abandon() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    for (const stop of this.stops) stop();
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  /** Commit the burst now and stay in the document (close, then open again). */
  async commit() {
    await this.whenSent();
    if (this.readOnly || this.closed) return { ok: !this.readOnly };
    this.busy = true; // no update may slip in between the close and the open
    let ack;
    try {
      const closed = this.connection.ask("live_text.close", { doc: this.name });
      noteClose(this.connection, this.name, closed);
      ack = await closed;
    } finally {
      this.busy = false;
    }
    this.reopen();
    return ack;
  }
}
