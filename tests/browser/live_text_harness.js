// A stand-in for the server half of live text (docs/protocol-live-text.md), in the page,
// so the browser binding can be driven through what a real server rarely does on cue:
// a lost line, `too_large`, `rate_limited`, `forbidden`, reordered relays.
// test_live_text_binding.py serves this page and the app's static files with no server.
import * as Y from "/static/vendor/yjs/yjs.mjs";
import { fromBase64, toBase64 } from "/static/vendor/lib0/buffer.js";
import { LiveText } from "/static/js/live-text/live-text.js";

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class FakeServer {
  constructor() {
    this.docs = new Map();
    this.connections = new Set();
    this.refuse = []; // [{event, error}] answered once each, in order
    this.received = []; // every request: [client, event, payload]
    this.maxLength = 10000;
  }

  doc(name) {
    if (!this.docs.has(name)) {
      const doc = new Y.Doc();
      doc.getText("text").insert(0, "seed text");
      this.docs.set(name, { doc, version: 1, editors: new Set() });
    }
    return this.docs.get(name);
  }

  relay(from, event, message) {
    for (const connection of this.connections) {
      if (connection !== from && connection.joined && this.doc(message.doc).editors.has(connection)) {
        connection.deliver(event, message);
      }
    }
  }

  /** An edit made outside live text: written into the document, not relayed; an event says so. */
  editOutside(name, text) {
    const entry = this.doc(name);
    const ytext = entry.doc.getText("text");
    entry.doc.transact(() => { ytext.delete(0, ytext.length); ytext.insert(0, text); });
    entry.version += 1;
    return entry.version;
  }

  answer(connection, event, payload) {
    this.received.push([connection.client, event, payload]);
    const refusal = this.refuse.findIndex((r) => r.event === event);
    if (refusal >= 0) return { ok: false, error: this.refuse.splice(refusal, 1)[0].error };
    const entry = this.doc(payload.doc);
    const user = connection.user;
    switch (event) {
      case "live_text.open": {
        if (!entry.editors.has(connection)) {
          entry.editors.add(connection);
          this.relay(connection, "live_text.cursor", {
            incident_id: 1, doc: payload.doc, client: connection.client, user, anchor: null, head: null,
          });
        }
        const update = Y.encodeStateAsUpdate(entry.doc, fromBase64(payload.state_vector));
        return {
          ok: true, doc: payload.doc, update: toBase64(update),
          state_vector: toBase64(Y.encodeStateVector(entry.doc)), version: entry.version,
        };
      }
      case "live_text.update": {
        if (!entry.editors.has(connection)) return { ok: false, error: { code: "forbidden", message: "Open the document first." } };
        const probe = new Y.Doc();
        Y.applyUpdate(probe, Y.encodeStateAsUpdate(entry.doc));
        Y.applyUpdate(probe, fromBase64(payload.update));
        if (probe.getText("text").length > this.maxLength) {
          return { ok: false, error: { code: "too_large", message: "The text would be too long." } };
        }
        Y.applyUpdate(entry.doc, fromBase64(payload.update));
        this.relay(connection, "live_text.update", { incident_id: 1, doc: payload.doc, update: payload.update, user });
        return { ok: true, seq: 1 };
      }
      case "live_text.cursor":
        this.relay(connection, "live_text.cursor", {
          incident_id: 1, doc: payload.doc, client: connection.client, user, anchor: payload.anchor, head: payload.head,
        });
        return { ok: true };
      case "live_text.close":
        entry.editors.delete(connection);
        this.relay(connection, "live_text.cursor", {
          incident_id: 1, doc: payload.doc, client: connection.client, user, anchor: null, head: null,
        });
        return { ok: true, seq: 1 };
      default:
        return { ok: false, error: { code: "invalid", field: "event" } };
    }
  }
}

/** What static/js/connection.js offers live text: ask, on, onJoined, joined. */
class FakeConnection {
  constructor(server, user, incidentId) {
    this.server = server;
    this.user = user;
    this.client = `client-${user.id}-${Math.random().toString(36).slice(2, 8)}`;
    // Names what the page keeps in sessionStorage: one per editor here, as one per tab is.
    this.incidentId = incidentId ?? this.client;
    this.joined = true;
    this.listeners = [];
    this.joinedListeners = new Set();
    this.latency = 5;
    server.connections.add(this);
  }

  async ask(event, payload) {
    if (!this.joined) return { ok: false, error: { code: "offline", message: "Not connected." } };
    await pause(this.latency);
    if (!this.joined) return { ok: false, error: { code: "offline", message: "No answer." } };
    const ack = this.server.answer(this, event, payload);
    await pause(this.latency);
    if (!this.joined) return { ok: false, error: { code: "offline", message: "No answer." } };
    return ack;
  }

  deliver(event, message) {
    setTimeout(() => {
      if (!this.joined) return;
      for (const [name, listener] of this.listeners) if (name === event) listener(message);
    }, this.latency);
  }

  on(name, listener) {
    const pair = [name, listener];
    this.listeners.push(pair);
    return () => { this.listeners = this.listeners.filter((p) => p !== pair); };
  }

  onJoined(listener) {
    this.joinedListeners.add(listener);
    return () => this.joinedListeners.delete(listener);
  }

  /** A drop: the server forgets this connection's documents, as a real one does. */
  goOffline() {
    this.joined = false;
    for (const entry of this.server.docs.values()) entry.editors.delete(this);
  }

  goOnline() {
    this.joined = true;
    for (const listener of this.joinedListeners) listener();
  }
}

const server = new FakeServer();
const editors = {};
window.harness = {
  server,
  Y,
  editors,
  open(name, userId, displayName, { doc = "entry:1", incidentId = null } = {}) {
    const textarea = document.createElement("textarea");
    textarea.id = name;
    textarea.rows = 4;
    textarea.setAttribute("aria-label", name);
    textarea.value = "seed text";
    document.body.append(textarea);
    const connection = new FakeConnection(server, { id: userId, username: name, display_name: displayName }, incidentId);
    const states = [];
    const live = new LiveText(textarea, { connection, doc, onState: (state) => states.push(state) });
    editors[name] = { textarea, connection, live, states };
  },
  /** Close the editor and open a new one of the same text on the same connection at once
   * (a page redrawing its sections does so). */
  reopen(name) {
    const { textarea, connection, live, states } = editors[name];
    const fresh = document.createElement("textarea");
    fresh.setAttribute("aria-label", name);
    fresh.value = textarea.value;
    textarea.removeAttribute("id");
    fresh.id = name;
    live.node.after(fresh);
    live.close().then(() => textarea.remove());
    const again = new LiveText(fresh, { connection, doc: live.document.name, onState: (s) => states.push(s) });
    editors[name] = { textarea: fresh, connection, live: again, states };
  },
  /** The page is gone (a reload): nothing more is sent, the server forgets the editor. */
  drop(name) {
    const { connection, live, textarea } = editors[name];
    connection.goOffline();
    this.server.connections.delete(connection);
    live.document.abandon();
    live.destroy();
    textarea.remove();
  },
  serverText(doc = "entry:1") {
    return server.doc(doc).doc.getText("text").toString();
  },
};
document.body.dataset.ready = "yes";
